import GRDB

/// The ledger's migrations. A migration is history: never change one that has shipped;
/// add the next. Names are literal SQL, not Swift types, because they describe past schemas.
///
/// Invariants enforced by SQLite itself, not only by Swift:
/// - `seq` is dense: a record's seq is exactly one more than the largest before it;
/// - `prev` is the hash of the record before (64 zeros for seq 1);
/// - a `payment_id` appears in at most one payment record;
/// - records are never updated; they are deleted only up to the acknowledged seq.
enum LedgerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE records (
                        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                        kind TEXT NOT NULL,
                        ts_ms INTEGER NOT NULL,
                        prev TEXT NOT NULL CHECK (length(prev) = 64),
                        hash TEXT NOT NULL CHECK (length(hash) = 64),
                        payment_id TEXT,
                        canonical TEXT NOT NULL
                    );
                    CREATE UNIQUE INDEX records_payment_id ON records(payment_id) WHERE kind = 'payment';
                    CREATE TRIGGER records_dense_and_chained BEFORE INSERT ON records
                    BEGIN
                        SELECT RAISE(ABORT, 'seq must follow the last record')
                        WHERE NEW.seq != (SELECT IFNULL(MAX(seq), (SELECT IFNULL(MAX(acked_seq), 0) FROM outbox)) + 1 FROM records);
                        SELECT RAISE(ABORT, 'prev must be the previous record''s hash')
                        WHERE EXISTS (SELECT 1 FROM records WHERE seq = NEW.seq - 1 AND hash != NEW.prev);
                    END;
                    CREATE TRIGGER records_immutable BEFORE UPDATE ON records
                    BEGIN
                        SELECT RAISE(ABORT, 'records are immutable');
                    END;
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        acked_seq INTEGER NOT NULL DEFAULT 0,
                        acked_at_ms INTEGER
                    );
                    INSERT INTO outbox (id, acked_seq) VALUES (1, 0);
                    CREATE TABLE cursors (
                        name TEXT PRIMARY KEY,
                        value TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2") { db in
            // acked_hash: the hash of the acknowledged record, so that the chain can go on
            // after retention (or a reset) left no record before the next one.
            // payment_ids: payment deduplication outlives the payment records themselves,
            // which retention deletes once upstream holds them.
            try db.execute(
                sql: """
                    ALTER TABLE outbox ADD COLUMN acked_hash TEXT CHECK (acked_hash IS NULL OR length(acked_hash) = 64);
                    UPDATE outbox SET acked_hash = (SELECT hash FROM records WHERE seq = outbox.acked_seq);
                    CREATE TABLE payment_ids (
                        payment_id TEXT PRIMARY KEY,
                        seq INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    INSERT INTO payment_ids (payment_id, seq)
                        SELECT payment_id, seq FROM records WHERE kind = 'payment' AND payment_id IS NOT NULL;
                    CREATE TABLE day_closes (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        last_seq INTEGER NOT NULL,
                        day TEXT NOT NULL
                    );
                    """)
        }
        return migrator
    }
}
