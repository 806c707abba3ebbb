"""The first page of each role, the menu that shows what the user's roles allow, the guide."""
