/// The event log's tables in PostgreSQL (schema version 3): the SQLite store's (``StoredEvent``,
/// ``StoredEventState``, ``StoredAttachment``), with the same columns and values — times as
/// seconds since 1970 in `float8`, ids as numbers — so that the same encoders and decoders serve
/// both. Two differences: an attachment's content is kept as pieces (`attachment_pieces`, one row
/// per block the upload was read in), since PostgreSQL has no incremental blob I/O short of large
/// objects, and so neither a write nor a read holds a 10 MiB photo whole; and the triggers that
/// keep the histories append-only are one PL/pgSQL function raising the message each names.
enum PostgresEventSchema {
    /// The triggers refusing UPDATE and DELETE on `table`, each with its message.
    static func appendOnly(_ table: String, change: String, go: String) -> String {
        """
        CREATE TRIGGER \(table)_never_change BEFORE UPDATE ON \(table)
            FOR EACH STATEMENT EXECUTE FUNCTION gridmap_refuse('\(change.replacingOccurrences(of: "'", with: "''"))');
        CREATE TRIGGER \(table)_never_go BEFORE DELETE OR TRUNCATE ON \(table)
            FOR EACH STATEMENT EXECUTE FUNCTION gridmap_refuse('\(go.replacingOccurrences(of: "'", with: "''"))');
        """
    }

    static let version3 = """
        CREATE FUNCTION gridmap_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;
        CREATE TABLE events (
            id int8 PRIMARY KEY,
            raised_at float8 NOT NULL,
            category text NOT NULL,
            urgency text NOT NULL,
            description text NOT NULL,
            lon float8 NOT NULL, lat float8 NOT NULL,
            micro_grid_code text NOT NULL,
            grid_code text NOT NULL,
            village_code text NOT NULL,
            reported_by_resident text,
            residents text NOT NULL,
            attachments text NOT NULL
        );
        CREATE INDEX events_grid ON events(grid_code, raised_at);
        CREATE INDEX events_raised ON events(raised_at);
        CREATE TABLE event_entries (
            event_id int8 NOT NULL REFERENCES events(id),
            seq int8 NOT NULL,
            at float8 NOT NULL,
            actor text NOT NULL,
            actor_grid text, actor_role text, actor_code text, actor_name text,
            action text NOT NULL,
            department text,
            departments text,
            deadline float8,
            step text,
            satisfaction text,
            reason text,
            note text NOT NULL,
            PRIMARY KEY (event_id, seq)
        );
        CREATE TABLE event_state (
            event_id int8 PRIMARY KEY REFERENCES events(id),
            entries int8 NOT NULL,
            raised_at float8 NOT NULL,
            category text NOT NULL,
            grid_code text NOT NULL,
            next_deadline float8,
            summary bytea NOT NULL
        );
        CREATE INDEX event_state_deadline ON event_state(next_deadline) WHERE next_deadline IS NOT NULL;
        CREATE TABLE attachment_contents (
            sha256 text PRIMARY KEY,
            byte_count int8 NOT NULL,
            media_type text NOT NULL
        );
        CREATE TABLE attachment_pieces (
            sha256 text NOT NULL REFERENCES attachment_contents(sha256),
            start int8 NOT NULL,
            bytes bytea NOT NULL,
            PRIMARY KEY (sha256, start)
        );
        CREATE TABLE event_attachments (
            event_id int8 NOT NULL REFERENCES events(id),
            seq int8 NOT NULL,
            position int8 NOT NULL,
            sha256 text NOT NULL REFERENCES attachment_contents(sha256),
            name text NOT NULL,
            media_type text NOT NULL,
            byte_count int8 NOT NULL,
            PRIMARY KEY (event_id, seq, position)
        );
        CREATE TABLE inspections (
            id int8 PRIMARY KEY,
            title text NOT NULL,
            date float8 NOT NULL,
            organiser text NOT NULL,
            sites text NOT NULL,
            items text NOT NULL
        );
        CREATE TABLE inspection_findings (
            inspection_id int8 NOT NULL REFERENCES inspections(id),
            site text NOT NULL,
            item text NOT NULL,
            event_id int8 NOT NULL REFERENCES events(id),
            PRIMARY KEY (inspection_id, event_id)
        );
        CREATE TABLE activities (
            id int8 PRIMARY KEY,
            kind text NOT NULL,
            title text NOT NULL,
            service text NOT NULL,
            at float8 NOT NULL,
            lon float8 NOT NULL, lat float8 NOT NULL,
            micro_grid_code text NOT NULL,
            grid_code text NOT NULL,
            village_code text NOT NULL,
            organiser text NOT NULL,
            attendance int8 NOT NULL
        );
        CREATE INDEX activities_grid ON activities(grid_code, at);
        \(appendOnly("events", change: "an event's raise record never changes", go: "events are never deleted"))
        \(appendOnly("event_entries", change: "an event's history is append-only", go: "an event's history is append-only"))
        \(appendOnly("attachment_contents", change: "an attachment's content never changes", go: "attachments are never deleted"))
        \(appendOnly("attachment_pieces", change: "an attachment's content never changes", go: "attachments are never deleted"))
        \(appendOnly("event_attachments", change: "an event's history is append-only", go: "an event's history is append-only"))
        \(appendOnly("inspections", change: "an inspection's plan never changes", go: "inspections are never deleted"))
        \(appendOnly("inspection_findings", change: "findings are append-only", go: "findings are append-only"))
        \(appendOnly("activities", change: "activities are append-only", go: "activities are append-only"))
        """
}
