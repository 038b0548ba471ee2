package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.parley.server.storage.VerificationSessions;

/** {@link VerificationSessions} in {@code verification_sessions} and {@code verification_backoff}. */
public final class JdbcVerificationSessions implements VerificationSessions {

  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;

  public JdbcVerificationSessions(Database database) {
    database.migrate("verification");
    this.dataSource = database.dataSource();
  }

  @Override
  public void create(Session s) {
    update("creating a verification session", "INSERT INTO verification_sessions (session_id, number, code,"
        + " expires_at, remaining_attempts, verified) VALUES (?, ?, ?, ?, ?, ?)",
        s.id(), s.number(), s.code(), s.expiresAt(), s.remainingAttempts(), s.verified());
  }

  @Override
  public Optional<Session> find(String sessionId) {
    return Statements.findOne(dataSource, "reading a verification session",
        "SELECT number, code, expires_at, remaining_attempts, verified FROM verification_sessions WHERE session_id = ?",
        row -> new Session(sessionId, row.getString(1), row.getString(2), row.getLong(3), row.getInt(4),
            row.getBoolean(5)), sessionId);
  }

  @Override
  public boolean markVerified(String sessionId) {
    return update("verifying a session", "UPDATE verification_sessions SET verified = TRUE"
        + " WHERE session_id = ? AND verified = FALSE AND remaining_attempts > 0", sessionId) > 0;
  }

  @Override
  public OptionalInt spendAttempt(String sessionId) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement spend = c.prepareStatement("UPDATE verification_sessions"
              + " SET remaining_attempts = remaining_attempts - 1"
              + " WHERE session_id = ? AND verified = FALSE AND remaining_attempts > 0");
          PreparedStatement left = c.prepareStatement(
              "SELECT remaining_attempts FROM verification_sessions WHERE session_id = ?")) {
        spend.setString(1, sessionId);
        if (spend.executeUpdate() == 0) {
          c.rollback();
          return OptionalInt.empty();
        }
        // Read in the same transaction: the row is locked by the update, so this is what this try left.
        left.setString(1, sessionId);
        int remaining;
        try (ResultSet rows = left.executeQuery()) {
          rows.next();
          remaining = rows.getInt(1);
        }
        c.commit();
        return OptionalInt.of(remaining);
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new JdbcException("counting a wrong verification code", e);
    }
  }

  @Override
  public boolean consumeVerified(String sessionId) {
    return update("using a verification session",
        "DELETE FROM verification_sessions WHERE session_id = ? AND verified = TRUE", sessionId) > 0;
  }

  @Override
  public void delete(String sessionId) {
    update("deleting a verification session", "DELETE FROM verification_sessions WHERE session_id = ?", sessionId);
  }

  @Override
  public void deleteExpired(long now, long quietSince) {
    update("deleting expired verification sessions", "DELETE FROM verification_sessions WHERE expires_at <= ?", now);
    update("forgetting quiet numbers' backoff", "DELETE FROM verification_backoff WHERE last_start < ?", quietSince);
  }

  @Override
  public Optional<Backoff> backoff(String number) {
    return Statements.findOne(dataSource, "reading a number's verification backoff",
        "SELECT sessions, last_start FROM verification_backoff WHERE number = ?",
        row -> new Backoff(row.getInt(1), row.getLong(2)), number);
  }

  @Override
  public boolean replaceBackoff(String number, Optional<Backoff> expected, Backoff next) {
    if (expected.isPresent()) {
      return update("counting a verification session", "UPDATE verification_backoff SET sessions = ?, last_start = ?"
              + " WHERE number = ? AND sessions = ? AND last_start = ?", next.sessions(), next.lastStart(), number,
          expected.get().sessions(), expected.get().lastStart()) > 0;
    }
    try {
      return update("counting a verification session",
          "INSERT INTO verification_backoff (number, sessions, last_start) VALUES (?, ?, ?)", number, next.sessions(),
          next.lastStart()) > 0;
    } catch (JdbcException e) {
      if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void forgetBackoff(String number) {
    update("forgetting a number's verification backoff", "DELETE FROM verification_backoff WHERE number = ?", number);
  }

  private int update(String what, String sql, Object... args) {
    return Statements.update(dataSource, what, sql, args);
  }
}
