-- A store for DatabaseMigrateTest only.
CREATE TABLE probe (id INT PRIMARY KEY);
