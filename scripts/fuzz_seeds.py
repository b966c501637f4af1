#!/usr/bin/env python3
"""The committed fuzz seeds: one archive per target, fuzz/seeds/TARGET.tar.gz, packed
deterministically (entries sorted by name, no times or owners) so that the same seed set always
gives the same bytes. `cargo test` replays every entry (tests/fuzzing/tests/fuzzing/replay.rs);
the fuzz scripts unpack an archive into a working folder, fuzz, minimise and pack it again.

  scripts/fuzz_seeds.py unpack TARGET DIR   write the seeds of TARGET into DIR
  scripts/fuzz_seeds.py pack TARGET DIR     replace the archive of TARGET with DIR's files
  scripts/fuzz_seeds.py count               seeds per target
"""
import gzip
import io
import pathlib
import sys
import tarfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"


def archive(target):
    return SEEDS / f"{target}.tar.gz"


def pack(target, folder):
    files = sorted(p for p in pathlib.Path(folder).iterdir() if p.is_file())
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for p in files:
            data = p.read_bytes()
            info = tarfile.TarInfo(p.name)
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    SEEDS.mkdir(parents=True, exist_ok=True)
    with open(archive(target), "wb") as out:
        with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as gz:
            gz.write(raw.getvalue())
    print(f"{target}: {len(files)} seeds packed into {archive(target).relative_to(ROOT)}")


def unpack(target, folder):
    out = pathlib.Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    if not archive(target).exists():
        return
    with tarfile.open(archive(target), "r:gz") as tar:
        for m in tar.getmembers():
            if m.isfile() and "/" not in m.name and not m.name.startswith("."):
                (out / m.name).write_bytes(tar.extractfile(m).read())


def count():
    for a in sorted(SEEDS.glob("*.tar.gz")):
        with tarfile.open(a, "r:gz") as tar:
            print(f"{a.name[:-7]} {sum(1 for m in tar.getmembers() if m.isfile())}")


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "count":
        return count()
    if len(sys.argv) != 4 or sys.argv[1] not in ("pack", "unpack"):
        sys.exit(__doc__)
    (pack if sys.argv[1] == "pack" else unpack)(sys.argv[2], sys.argv[3])


if __name__ == "__main__":
    main()
