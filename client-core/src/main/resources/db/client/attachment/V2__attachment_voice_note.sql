-- Voice notes (docs/decisions/0130-voice-location-payments.md): the waveform their pointer carries (at most 256
-- one-byte buckets). A row with a waveform (possibly empty) is a voice note; its length is in duration_ms.
ALTER TABLE attachment ADD COLUMN waveform VARBINARY(256);
