CREATE TABLE signed_prekey (
  id INT PRIMARY KEY,
  record VARBINARY(2000) NOT NULL
);
