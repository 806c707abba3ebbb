"""Tables that say in words what others draw: actors named in one 'Pelaksana' column, and a
decision's exits written in Keterangan or the activity — read the same in every source."""

from __future__ import annotations

from alur.importers import read_text
from alur.importers.worded import actor_names, worded_exits

ONE_COLUMN = """
<h2>SOP PENGAJUAN CUTI</h2>
<table>
<tr><td>Nama SOP</td><td>Pengajuan Cuti</td></tr>
<tr><td>Nomor SOP</td><td>800/12/2024</td></tr>
</table>
<table>
<tr><th>No</th><th>Uraian Kegiatan</th><th>Pelaksana</th><th>Kelengkapan</th><th>Waktu</th>
    <th>Output</th><th>Keterangan</th></tr>
<tr><td>1</td><td>Mengisi formulir cuti</td><td>Pegawai</td><td>Formulir</td><td>10 menit</td>
    <td>Formulir terisi</td><td></td></tr>
<tr><td>2</td><td>Memeriksa kelengkapan berkas</td><td>Kasubag Umum</td><td>Formulir</td>
    <td>15 menit</td><td>Berkas</td><td>jika tidak lengkap, kembali ke langkah 1</td></tr>
<tr><td>3</td><td>Memberi paraf dan meneruskan</td><td>Kasubag Umum, Sekretaris</td>
    <td>Berkas</td><td>1 jam</td><td>Berkas diparaf</td><td></td></tr>
<tr><td>4</td><td>Memutuskan permohonan</td><td>Kepala Dinas</td><td>Berkas</td><td>1 hari</td>
    <td>Keputusan</td><td>Keputusan: disetujui → langkah 5; ditolak → langkah 6</td></tr>
<tr><td>5</td><td>Menerbitkan surat izin cuti</td><td>Sekretaris dan Staf</td><td>Keputusan</td>
    <td>1 jam</td><td>Surat izin</td><td>Lanjut → 7</td></tr>
<tr><td>6</td><td>Memberitahukan penolakan</td><td>Staf<br>Sekretaris</td><td>Keputusan</td>
    <td>30 menit</td><td>Surat</td><td></td></tr>
<tr><td>7</td><td>Mengarsipkan berkas</td><td>Staf / Pegawai</td><td>Surat izin</td>
    <td>10 menit</td><td>Arsip</td><td></td></tr>
</table>
"""


def test_actors_named_in_one_column_become_the_sops_actor_columns():
    result = read_text(ONE_COLUMN, kind="html")
    [sop] = result.sops
    assert [a.name for a in sop.actors] == ["Pegawai", "Kasubag Umum", "Sekretaris",
                                            "Kepala Dinas", "Staf"]
    names = {a.id: a.name for a in sop.actors}
    assert [[names[a] for a in s.actors] for s in sop.steps] == [
        ["Pegawai"], ["Kasubag Umum"], ["Kasubag Umum", "Sekretaris"], ["Kepala Dinas"],
        ["Sekretaris", "Staf"], ["Sekretaris", "Staf"], ["Pegawai", "Staf"]]
    assert "import.actors-in-text" in [f.code for f in result.findings]


def test_exits_written_in_words_become_decisions_and_jumps():
    [sop] = read_text(ONE_COLUMN, kind="html").sops
    check = sop.step(2)
    assert (check.kind, check.on_yes, check.on_no) == ("decision", 3, 1)
    assert "on_yes" in check.inferred  # only the Tidak exit is written; Ya goes on
    assert check.labels.no == "tidak lengkap"
    decide = sop.step(4)
    assert (decide.kind, decide.on_yes, decide.on_no) == ("decision", 5, 6)
    assert (decide.labels.yes, decide.labels.no) == ("disetujui", "ditolak")
    assert sop.step(5).next == 7
    assert sop.step(5).notes == ""  # the note was only the jump
    assert sop.step(2).notes == "jika tidak lengkap, kembali ke langkah 1"  # prose stays


def test_worded_exits_patterns():
    assert worded_exits("Ya → 3 / Tidak → 1").yes == (3, "Ya")
    assert worded_exits("Lengkap → 4 / Tidak lengkap → 2").no == (2, "Tidak lengkap")
    found = worded_exits("Jika ya lanjut ke langkah 5, jika tidak ke langkah 2")
    assert (found.yes[0], found.no[0]) == (5, 2)
    assert worded_exits("Apabila tidak sesuai dikembalikan ke langkah 3").no == (
        3, "tidak sesuai")
    assert worded_exits("Surat disampaikan ke 3 bagian") is None
    assert worded_exits("Berkas diteruskan, lanjut → 7").only_exits is False
    assert worded_exits("Lanjut → 7").only_exits is True


def test_actor_names_split_at_commas_dan_slashes_and_lines():
    assert actor_names("Kasubag, Staf") == ["Kasubag", "Staf"]
    assert actor_names("Kabag dan Sekretaris") == ["Kabag", "Sekretaris"]
    assert actor_names("<p>Kasi / Staf</p><p>Kabid</p>") == ["Kasi", "Staf", "Kabid"]
    assert actor_names("1. Kasubag<br>2. Kasubag") == ["Kasubag"]
