-- A part whose bytes are a run of the message's stored PDU (an image, audio or video part of a
-- retrieved or queued message) is not stored a second time: it names the run (offset and
-- length in `pdus.data`) and keeps an empty `data`. Text parts, and parts written by an older
-- library, keep their bytes in `data` (both columns NULL).
ALTER TABLE parts ADD COLUMN pdu_offset INTEGER;
ALTER TABLE parts ADD COLUMN pdu_length INTEGER;
