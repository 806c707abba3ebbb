"""Generated SOPs for layout tests: 1–60 steps, 1–8 actors, decisions and jumps both ways."""

from hypothesis import strategies as st

from alur.sop import Actor, Sop, Step

WORDS = ["surat", "berkas", "memeriksa", "menandatangani", "Kabag", "disposisi", "laporan",
         "menyusun", "rapat", "dokumen", "Renja", "SKP", "pengajuan", "BKD", "arsip"]


@st.composite
def sops(draw, max_steps: int = 60, max_actors: int = 8, reach: int | None = None,
         jumps: bool = True) -> Sop:
    """`reach` bounds how far a Tidak loop or a jump goes back or forward (real SOPs: up to
    five rows); None lets it go anywhere (denser than real SOPs). `jumps` adds steps whose
    `next` skips rows (an eighth of them)."""
    n_actors = draw(st.integers(1, max_actors))
    actors = [Actor(id=f"a{i}", name=draw(st.sampled_from(
        ["Kabag", "Kasubag Umum", "Staf/Jabatan Fungsional Umum", "PNS", "Sekretaris",
         "Kepala Dinas", "Pengadm. Umum", "Tim Anjab"]))) for i in range(n_actors)]
    n_steps = draw(st.integers(1, max_steps))
    numbers = list(range(1, n_steps + 1))
    # Realistic shapes and densities: at most a fifth of the steps decide, an eighth jump;
    # a decision's Ya goes on to the next step and its Tidak anywhere (the rework loop);
    # no step receives more than two jumps.
    deciders = set(draw(st.lists(st.sampled_from(numbers[:-1] or numbers),
                                 max_size=max(1, n_steps // 5), unique=True))) \
        if n_steps > 1 else set()
    jumpers = set(draw(st.lists(st.sampled_from(numbers), max_size=n_steps // 8,
                                unique=True))) - deciders if n_steps > 2 and jumps else set()
    steps = []
    incoming: dict[int, int] = {}  # jumps into each step: real SOPs have one or two rework loops

    def jump_target(exclude: int | None = None, near: int | None = None) -> int:
        open_targets = [n for n in numbers if incoming.get(n, 0) < 2 and n != exclude and
                        (reach is None or near is None or abs(n - near) <= reach)]
        target = draw(st.sampled_from(open_targets or numbers))
        incoming[target] = incoming.get(target, 0) + 1
        return target

    for index, number in enumerate(numbers):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
        joint = draw(st.integers(1, min(2, n_actors)))
        step_actors = draw(st.lists(st.sampled_from([a.id for a in actors]), min_size=joint,
                                    max_size=joint, unique=True))
        kind = "process"
        on_yes = on_no = next_ = None
        if number in deciders:
            kind = "decision"
            following = numbers[index + 1] if index + 1 < n_steps else None
            on_yes = following if following is not None else jump_target(near=number)
            on_no = jump_target(exclude=on_yes, near=number)
        elif number in jumpers:
            next_ = jump_target(near=number)
        steps.append(Step(number=number, activity=" ".join(words), actors=step_actors,
                          kind=kind, on_yes=on_yes, on_no=on_no, next=next_,
                          time=draw(st.sampled_from(["10 menit", "1 hari", "", "2 Jam"])) or None,
                          inputs=[" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=8)))],
                          notes=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=12)))))
    return Sop(id="acak", name="SOP Acak", actors=actors, steps=steps)
