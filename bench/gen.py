#!/usr/bin/env python3
"""Generates the benchmark's source trees once; a marker beside the tree records what was made, so a
rerun reuses the tree when the parameters match and remakes it when they do not.

  gen.py small DIR FILES FOLDERS BYTES   FILES files of BYTES random bytes, spread evenly over FOLDERS folders
  gen.py big   DIR MIB                   one file big.bin of MIB MiB of random bytes
  gen.py many  DIR FILES FOLDERS         FILES empty files over FOLDERS folders
  gen.py seafile DIR OBJECTS LIBRARIES SEED
                                         a seafile-data folder: DIR/storage/{blocks,fs,commits}/<repo>/<cc>/<rest>,
                                         OBJECTS valid objects (80% blocks of 64-256 random bytes, 15% zlib fs
                                         objects, 5% commits) over LIBRARIES libraries; run again with another
                                         SEED on the same DIR (not the marker's) to add objects
"""
import hashlib
import json
import os
import random
import shutil
import sys
import zlib


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


def seafile_objects(path, objects, libraries, seed):
    rnd = random.Random(seed)
    for i in range(objects):
        repo = "%08x-0000-4000-8000-%012d" % (0xcafe0000 + i % libraries, i % libraries)
        kind = rnd.randrange(20)
        if kind < 16:
            kind, body = "blocks", rnd.randbytes(64 + rnd.randrange(192))
            oid = hashlib.sha1(body).hexdigest()
        elif kind < 19:
            doc = json.dumps({"block_ids": [rnd.randbytes(20).hex()], "size": rnd.randrange(1 << 20), "type": 1,
                              "version": 1}, sort_keys=True, separators=(",", ":")).encode()
            kind, body, oid = "fs", zlib.compress(doc), hashlib.sha1(doc).hexdigest()
        else:
            oid = rnd.randbytes(20).hex()
            kind, body = "commits", json.dumps({"commit_id": oid, "repo_id": repo, "description": "generated",
                                                "ctime": 1500000000 + i}).encode()
        folder = os.path.join(path, "storage", kind, repo, oid[:2])
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, oid[2:]), "wb") as f:
            f.write(body)


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
    elif kind == "seafile":
        seafile_objects(path, int(args[0]), int(args[1]), int(args[2]))
    else:
        sys.exit("unknown kind " + kind)
    with open(marker(path), "w") as f:
        f.write(spec + "\n")


if __name__ == "__main__":
    main()
