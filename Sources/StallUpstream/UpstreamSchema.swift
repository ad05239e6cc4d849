import GRDB

/// The reference receiver's migrations. A migration is history: never change one that has
/// shipped; add the next. The schema is literal SQL because it describes past databases,
/// not today's Swift types.
///
/// Invariants enforced by SQLite itself, not only by the Swift checks before an insert:
/// - a device's records are dense: a new `seq` is exactly one more than the device's last;
/// - each record's `prev` is the stored hash of the device's record `seq - 1`;
/// - stored records are never updated or deleted (an `acked_seq` is a promise to the box);
/// - a notification's `cursor` only grows, so "after CURSOR" is a stable position.
enum UpstreamSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE devices (
                        device_id TEXT PRIMARY KEY CHECK (length(device_id) = 32),
                        public_key TEXT NOT NULL
                    );
                    CREATE TABLE records (
                        device_id TEXT NOT NULL REFERENCES devices(device_id),
                        seq INTEGER NOT NULL CHECK (seq >= 1),
                        prev TEXT NOT NULL CHECK (length(prev) = 64),
                        hash TEXT NOT NULL CHECK (length(hash) = 64),
                        canonical TEXT NOT NULL,
                        PRIMARY KEY (device_id, seq)
                    ) WITHOUT ROWID;
                    CREATE TRIGGER records_dense_and_chained BEFORE INSERT ON records
                    BEGIN
                        SELECT RAISE(ABORT, 'seq must follow the device''s last record')
                        WHERE NEW.seq != (SELECT IFNULL(MAX(seq), 0) + 1 FROM records WHERE device_id = NEW.device_id);
                        SELECT RAISE(ABORT, 'prev must be the hash of the device''s previous record')
                        WHERE (NEW.seq = 1 AND NEW.prev != '0000000000000000000000000000000000000000000000000000000000000000')
                           OR EXISTS (SELECT 1 FROM records
                                      WHERE device_id = NEW.device_id AND seq = NEW.seq - 1 AND hash != NEW.prev);
                    END;
                    CREATE TRIGGER records_immutable BEFORE UPDATE ON records
                    BEGIN
                        SELECT RAISE(ABORT, 'stored records are immutable');
                    END;
                    CREATE TRIGGER records_kept BEFORE DELETE ON records
                    BEGIN
                        SELECT RAISE(ABORT, 'acknowledged records are never deleted');
                    END;
                    CREATE TABLE notifications (
                        cursor INTEGER PRIMARY KEY AUTOINCREMENT,
                        device_id TEXT NOT NULL,
                        payment_id TEXT NOT NULL,
                        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 1),
                        channel TEXT NOT NULL,
                        paid_at_ms INTEGER NOT NULL
                    );
                    CREATE INDEX notifications_by_device ON notifications(device_id, cursor);
                    """)
        }
        return migrator
    }
}
