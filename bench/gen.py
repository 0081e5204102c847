#!/usr/bin/env python3
"""Generates the benchmark's source trees once; a marker beside the tree records what was made, so a
rerun reuses the tree when the parameters match and remakes it when they do not.

  gen.py small DIR FILES FOLDERS BYTES   FILES files of BYTES random bytes, spread evenly over FOLDERS folders
  gen.py big   DIR MIB                   one file big.bin of MIB MiB of random bytes
  gen.py many  DIR FILES FOLDERS         FILES empty files over FOLDERS folders
"""
import os
import shutil
import sys


def marker(path):
    return path.rstrip("/") + ".generated"


def up_to_date(path, spec):
    try:
        with open(marker(path)) as f:
            return f.read().strip() == spec and os.path.isdir(path)
    except FileNotFoundError:
        return False


def spread(path, files, folders, body):
    per = -(-files // folders)
    made = 0
    for d in range(folders):
        folder = os.path.join(path, "d%04d" % d)
        os.makedirs(folder, exist_ok=True)
        for i in range(per):
            if made == files:
                return
            with open(os.path.join(folder, "f%05d.bin" % i), "wb") as f:
                if body:
                    f.write(body())
            made += 1


def main():
    kind, path = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    spec = " ".join([kind] + args)
    if up_to_date(path, spec):
        print("reusing %s (%s)" % (path, spec))
        return
    if os.path.exists(path):
        shutil.rmtree(path)
    if os.path.exists(marker(path)):
        os.remove(marker(path))
    os.makedirs(path)
    print("generating %s (%s)" % (path, spec), flush=True)
    if kind == "small":
        files, folders, size = int(args[0]), int(args[1]), int(args[2])
        spread(path, files, folders, lambda: os.urandom(size))
    elif kind == "many":
        spread(path, int(args[0]), int(args[1]), None)
    elif kind == "big":
        mib = int(args[0])
        chunk = os.urandom(1 << 20)
        with open(os.path.join(path, "big.bin"), "wb") as f:
            for i in range(mib):
                # a fresh first 16 bytes per MiB, so no two parts of the file are alike
                f.write(os.urandom(16) + chunk[16:])
    else:
        sys.exit("unknown kind " + kind)
    with open(marker(path), "w") as f:
        f.write(spec + "\n")


if __name__ == "__main__":
    main()
