package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.parley.server.storage.Account;
import org.parley.server.storage.AccountStore;
import org.parley.server.storage.Device;
import org.parley.server.storage.DeviceAddress;

/** Accounts and devices in the {@code accounts} and {@code devices} tables. */
public final class JdbcAccountStore implements AccountStore {

  private final DataSource dataSource;

  public JdbcAccountStore(Database database) {
    database.migrate("accounts");
    this.dataSource = database.dataSource();
  }

  @Override
  public Optional<Account> findById(String accountId) {
    return query("SELECT account_id, number, created FROM accounts WHERE account_id = ?", accountId);
  }

  @Override
  public Optional<Account> findByNumber(String number) {
    return query("SELECT account_id, number, created FROM accounts WHERE number = ?", number);
  }

  private Optional<Account> query(String sql, String arg) {
    try (Connection c = dataSource.getConnection()) {
      return load(c, sql, arg);
    } catch (SQLException e) {
      throw new JdbcException("loading account", e);
    }
  }

  private static Optional<Account> load(Connection c, String sql, String arg) throws SQLException {
    String accountId;
    String number;
    long created;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        accountId = rs.getString(1);
        number = rs.getString(2);
        created = rs.getLong(3);
      }
    }
    List<Device> devices = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT device_id, registration_id, password_hash, name, created, last_seen FROM devices"
            + " WHERE account_id = ? ORDER BY device_id")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          devices.add(new Device(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getLong(5),
              rs.getLong(6)));
        }
      }
    }
    return Optional.of(new Account(accountId, number, created, devices));
  }

  @Override
  public Registration register(String number, String newAccountId, Device primary) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          Registration result = registerInTransaction(c, number, newAccountId, primary);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        // Two first registrations of one number raced and the other inserted first: go again, now as a
        // re-registration that replaces its device.
        if (UNIQUE_VIOLATION.equals(e.getSQLState()) && attempt < 3) {
          continue;
        }
        throw new JdbcException("registering " + number, e);
      }
    }
  }

  private static final String UNIQUE_VIOLATION = "23505";

  private static Registration registerInTransaction(Connection c, String number, String newAccountId, Device primary)
      throws SQLException {
    Optional<Account> existing =
        load(c, "SELECT account_id, number, created FROM accounts WHERE number = ? FOR UPDATE", number);
    String accountId;
    long created;
    List<Integer> replaced = new ArrayList<>();
    if (existing.isPresent()) {
      accountId = existing.get().accountId();
      created = existing.get().created();
      existing.get().devices().forEach(d -> replaced.add(d.deviceId()));
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM devices WHERE account_id = ?")) {
        ps.setString(1, accountId);
        ps.executeUpdate();
      }
    } else {
      accountId = newAccountId;
      created = primary.created();
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO accounts (account_id, number, created) VALUES (?, ?, ?)")) {
        ps.setString(1, accountId);
        ps.setString(2, number);
        ps.setLong(3, created);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO devices (account_id, device_id, registration_id, password_hash, name, created, last_seen)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, accountId);
      ps.setInt(2, primary.deviceId());
      ps.setInt(3, primary.registrationId());
      ps.setString(4, primary.passwordHash());
      ps.setString(5, primary.name());
      ps.setLong(6, primary.created());
      ps.setLong(7, primary.lastSeen());
      ps.executeUpdate();
    }
    return new Registration(new Account(accountId, number, created, List.of(primary)), replaced);
  }

  @Override
  public Optional<Account> addDevice(String accountId, Device withoutId, int maxDevices) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        // FOR UPDATE on the account row serialises concurrent links of one account.
        Optional<Account> account =
            load(c, "SELECT account_id, number, created FROM accounts WHERE account_id = ? FOR UPDATE", accountId);
        if (account.isEmpty() || account.get().devices().size() >= maxDevices) {
          c.rollback();
          return Optional.empty();
        }
        int deviceId = account.get().devices().stream().mapToInt(Device::deviceId).max().orElse(0) + 1;
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO devices (account_id, device_id, registration_id, password_hash, name, created, last_seen)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, accountId);
          ps.setInt(2, deviceId);
          ps.setInt(3, withoutId.registrationId());
          ps.setString(4, withoutId.passwordHash());
          ps.setString(5, withoutId.name());
          ps.setLong(6, withoutId.created());
          ps.setLong(7, withoutId.lastSeen());
          ps.executeUpdate();
        }
        Optional<Account> result =
            load(c, "SELECT account_id, number, created FROM accounts WHERE account_id = ?", accountId);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new JdbcException("adding a device to " + accountId, e);
    }
  }

  @Override
  public boolean removeDevice(DeviceAddress device) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM devices WHERE account_id = ? AND device_id = ?")) {
      ps.setString(1, device.accountId());
      ps.setInt(2, device.deviceId());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new JdbcException("removing " + device, e);
    }
  }

  @Override
  public void updateLastSeen(DeviceAddress device, long lastSeen) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE devices SET last_seen = ? WHERE account_id = ? AND device_id = ?")) {
      ps.setLong(1, lastSeen);
      ps.setString(2, device.accountId());
      ps.setInt(3, device.deviceId());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException("updating last seen of " + device, e);
    }
  }
}
