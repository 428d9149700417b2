#!/usr/bin/env python3
"""Build a single-layer docker-archive ("docker save" format) tarball from a
root filesystem directory, without any registry or container engine.
The result is importable with `ctr -n k8s.io images import OUT.tar`.

usage: mkimage.py ROOTFS_DIR IMAGE_REF OUT.tar CMD_JSON [ENTRYPOINT_JSON]

The output is deterministic for identical input trees: every entry is owned by
root, has mtime 0, and entries are added in sorted order.
"""
import hashlib
import io
import json
import os
import sys
import tarfile


def layer_bytes(rootfs: str) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        def norm(ti: tarfile.TarInfo) -> tarfile.TarInfo:
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            ti.mtime = 0
            ti.pax_headers = {}
            return ti

        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, rootfs)
            entries = sorted(dirnames + filenames)
            for name in entries:
                full = os.path.join(dirpath, name)
                arc = name if rel_dir == "." else os.path.join(rel_dir, name)
                ti = norm(t.gettarinfo(full, arcname=arc))
                if ti.isreg():
                    with open(full, "rb") as f:
                        t.addfile(ti, f)
                else:
                    t.addfile(ti)
    return buf.getvalue()


def main() -> None:
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    rootfs, ref, out, cmd = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    entrypoint = json.loads(sys.argv[5]) if len(sys.argv) == 6 else None
    if ":" not in ref.rsplit("/", 1)[-1]:
        sys.exit("IMAGE_REF needs a tag, e.g. localhost/foo:1.0")
    layer = layer_bytes(rootfs)
    diffid = "sha256:" + hashlib.sha256(layer).hexdigest()
    cfg_obj = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Cmd": cmd,
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "WorkingDir": "/",
        },
        "rootfs": {"type": "layers", "diff_ids": [diffid]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "sts-lab mkimage.py"}],
    }
    if entrypoint is not None:
        cfg_obj["config"]["Entrypoint"] = entrypoint
    cfg = json.dumps(cfg_obj, separators=(",", ":"), sort_keys=True).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    layer_name = diffid[len("sha256:"):] + "/layer.tar"
    repo, tag = ref.rsplit(":", 1)
    manifest = [{"Config": cfg_name, "RepoTags": [ref], "Layers": [layer_name]}]
    tmp = out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.USTAR_FORMAT) as t:
        def add(name: str, data: bytes) -> None:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 0
            t.addfile(ti, io.BytesIO(data))

        add(cfg_name, cfg)
        add(layer_name, layer)
        add("manifest.json", json.dumps(manifest).encode())
        add("repositories", json.dumps({repo: {tag: diffid[len("sha256:"):]}}).encode())
    os.replace(tmp, out)
    print(out, ref, diffid)


if __name__ == "__main__":
    main()
