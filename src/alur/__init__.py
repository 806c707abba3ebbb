"""alur: SOP AP (Permenpan RB 35/2012) procedures as software."""

__version__ = "0.1.0"
