"""Interoperability driver for python-messaging (an independent MMS encoder/decoder).

  encode OUTDIR   write messages encoded by python-messaging as OUTDIR/<name>.mms, and what
                  was put into each as OUTDIR/<name>.json (the facts our decoder must read)
  decode FILE     decode FILE with python-messaging and print its headers and parts as JSON
  decode-many DIR decode every DIR/*.mms; print one JSON object: file name -> the decode (as
                  above, plus "ok": true) or {"ok": false, "error": "..."}

Called by tests/tests/interop_python.rs; needs `pip install python-messaging`.
"""
import array
import hashlib
import json
import os
import sys

from messaging.mms.message import DataPart, MMSMessage, MMSMessagePage


def sha(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(bytes(data)).hexdigest()


def write(outdir, name, msg, expect):
    data = msg.encode()
    with open(os.path.join(outdir, name + ".mms"), "wb") as f:
        f.write(data.tobytes())
    with open(os.path.join(outdir, name + ".json"), "w") as f:
        json.dump(expect, f, indent=1, sort_keys=True)


def encode(outdir):
    os.makedirs(outdir, exist_ok=True)

    # 1. A SMIL presentation with one text slide (multipart/related).
    m = MMSMessage()
    m.headers["Message-Type"] = "m-send-req"
    m.headers["Transaction-Id"] = "py-related-1"
    m.headers["MMS-Version"] = "1.2"
    m.headers["To"] = "+15551230001/TYPE=PLMN"
    m.headers["Subject"] = "Hello interop"
    page = MMSMessagePage()
    page.add_text("Hello from python-messaging")
    m.add_page(page)
    write(outdir, "related_text", m, {
        "message_type": "m-send-req", "tid": "py-related-1", "version": "1.2",
        "to": ["+15551230001/TYPE=PLMN"], "subject": "Hello interop",
        "content_type": "application/vnd.wap.multipart.related",
        "parts": [
            {"type": "application/smil", "contains": "<smil>"},
            {"type": "text/plain", "sha256": sha("Hello from python-messaging")},
        ],
    })

    # 2. Binary image and text on one slide. (python-messaging's add_data_part() counts parts
    #    it never writes, so its own decoder rejects the result; slides are what works.)
    m = MMSMessage()
    m.headers["Message-Type"] = "m-send-req"
    m.headers["Transaction-Id"] = "py-image-2"
    m.headers["To"] = "+4915112345678/TYPE=PLMN"
    m.headers["From"] = "+4917600000001/TYPE=PLMN"
    m.headers["Subject"] = "Two parts"
    jpeg = bytes([0xFF, 0xD8, 0xFF, 0xE0]) + bytes(range(256)) * 4 + bytes([0xFF, 0xD9])
    page = MMSMessagePage()
    image = DataPart()
    image.set_data(jpeg.decode("latin-1"), "image/jpeg")  # its encoder wants str
    image.headers["Content-Location"] = "photo.jpg"
    page.image = (image, 0, 0)
    page.add_text("plain words")
    m.add_page(page)
    write(outdir, "image_text", m, {
        "message_type": "m-send-req", "tid": "py-image-2", "version": "1.0",
        "to": ["+4915112345678/TYPE=PLMN"], "from": "+4917600000001/TYPE=PLMN",
        "subject": "Two parts",
        "content_type": "application/vnd.wap.multipart.related",
        "parts": [
            {"type": "application/smil", "contains": "photo.jpg"},
            {"type": "image/jpeg", "sha256": sha(jpeg), "len": len(jpeg), "location": "photo.jpg"},
            {"type": "text/plain", "sha256": sha("plain words")},
        ],
    })

    # 3. python-messaging's default type (retrieve-conf) with a 70 kB attachment, which needs
    #    multi-octet uintvar lengths, on two slides.
    m = MMSMessage()
    m.headers["Transaction-Id"] = "py-big-3"
    m.headers["Subject"] = "Big"
    big = bytes((i * 7) & 0xFF for i in range(70000))
    p1 = MMSMessagePage()
    blob = DataPart()
    blob.set_data(big.decode("latin-1"), "audio/amr")
    blob.headers["Content-Location"] = "clip.amr"
    p1.audio = (blob, 0, 0)
    p1.add_text("first slide")  # its SMIL writer needs a text beside an audio clip
    p2 = MMSMessagePage()
    p2.add_text("second slide")
    m.add_page(p1)
    m.add_page(p2)
    write(outdir, "retrieve_big", m, {
        "message_type": "m-retrieve-conf", "tid": "py-big-3", "version": "1.0",
        "to": [], "subject": "Big",
        "content_type": "application/vnd.wap.multipart.related",
        "parts": [
            {"type": "application/smil", "contains": "clip.amr"},
            {"type": "audio/amr", "sha256": sha(big), "len": len(big), "location": "clip.amr"},
            {"type": "text/plain", "sha256": sha("first slide")},
            {"type": "text/plain", "sha256": sha("second slide")},
        ],
    })


def decode(path):
    print(json.dumps(decode_one(path), sort_keys=True))


def decode_many(folder):
    out = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".mms"):
            continue
        try:
            d = decode_one(os.path.join(folder, name))
            d["ok"] = True
        except Exception as e:  # any failure of theirs is a data point, not a crash of ours
            d = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        out[name] = d
    print(json.dumps(out, sort_keys=True))


def decode_one(path):
    with open(path, "rb") as f:
        data = array.array("B", f.read())
    msg = MMSMessage.from_data(data)
    out = {"headers": {}, "parts": []}
    for k, v in msg.headers.items():
        if isinstance(v, tuple):
            v = [v[0], {str(a): str(b) for a, b in v[1].items()}]
        out["headers"][k] = v if isinstance(v, (str, int, list)) else str(v)
    for part in msg.data_parts:
        ctype, params = part.headers["Content-Type"]
        data = part.data
        if isinstance(data, str):
            data = data.encode("utf-8")
        out["parts"].append({
            "type": ctype,
            "params": {str(a): str(b) for a, b in params.items()},
            "headers": {k: str(v) for k, v in part.headers.items() if k != "Content-Type"},
            "sha256": sha(data),
            "len": len(data),
        })
    return out


if __name__ == "__main__":
    if sys.argv[1] == "encode":
        encode(sys.argv[2])
    elif sys.argv[1] == "decode":
        decode(sys.argv[2])
    elif sys.argv[1] == "decode-many":
        decode_many(sys.argv[2])
    else:
        sys.exit("usage: pymessaging_interop.py encode OUTDIR | decode FILE | decode-many DIR")
