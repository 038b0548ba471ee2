-- How each attachment's transport ciphertext is built (docs/decisions/0122-attachment-throughput.md): 1 for
-- AES-CBC + HMAC (everything before this migration), 2 for chunked AES-GCM; the pointer's cipher_format.
ALTER TABLE attachment ADD COLUMN cipher_format INT NOT NULL DEFAULT 1;
