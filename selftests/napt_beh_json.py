#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Flatten natctl -j output for the napt behaviour selftests.

  natctl -j map list | napt_beh_json.py maps
      one line per mapping, sorted:
      PROTO INT_ADDR:INT_PORT EXT_ADDR:EXT_PORT TYPE MAPPING REMOTE
      expires=N lease=N sessions=N [owner=OWNER cookie=HEX] desc=TEXT
      with REMOTE "rem_addr[:rem_port]" or "-", absent or null values "-",
      owner and cookie where natctl gives them (static mappings; null as
      "null") and the description last (it may hold spaces)

  natctl -j show | napt_beh_json.py get KEY[.KEY...]...
      one line per path: the value (null, true, false as in JSON)
"""
import json
import sys


def text(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def main():
    d = json.load(sys.stdin)
    if sys.argv[1] == "maps":
        lines = []
        for m in d:
            rem = m.get("rem_addr")
            if rem is not None and m.get("rem_port") is not None:
                rem += f":{m['rem_port']}"
            lines.append(
                f"{m['proto']} {m['int_addr']}:{m['int_port']} "
                f"{m['ext_addr']}:{m['ext_port']} {m['type']} "
                f"{m.get('mapping', '-')} {rem or '-'} "
                f"expires={text(m.get('expires', '-'))} "
                f"lease={text(m.get('lease', '-'))} "
                f"sessions={text(m.get('sessions', '-'))} "
                + "".join(f"{k}={text(m[k])} " for k in ("owner", "cookie")
                          if k in m)
                + f"desc={m.get('desc', '-')}")
        for line in sorted(lines):
            print(line)
    elif sys.argv[1] == "get":
        for path in sys.argv[2:]:
            v = d
            for k in path.split("."):
                v = v[k]
            print(text(v))
    else:
        sys.exit(f"unknown command {sys.argv[1]}")


if __name__ == "__main__":
    main()
