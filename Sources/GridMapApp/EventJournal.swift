import CSV
import Foundation
import GeoJSON
import GridMapCore
import GridStore

/// A journal of what happened — events raised and acted on, inspections and their findings,
/// activities — as JSON Lines, one action per line in time order, recorded in one transaction:
/// how a paper ledger or another system's export is brought in, and how the generator writes the
/// reference town's year. Each line goes through the same flow as a command (docs/EVENTS.md,
/// "Journals"); any refusal names its line and nothing is recorded.
///
/// A line is an object with `do` (raise, take, whistle, report-in, resolve, verify, send-back,
/// close, plan-inspection, finding, activity), `at` (a time), `as` (who acts, as `--as`), and:
/// - raise: `key` (the journal's own name for the event, used by later lines' `event`),
///   `category`, `urgency` (normal or urgent), `point` [lon, lat], `description`, optional
///   `residents`, `reportedBy`, `attachments`;
/// - take, whistle, report-in, resolve, verify, send-back, close: `event` (a key or an EV- id),
///   and as the command takes them `departments`, `deadline`, `reason`, `satisfaction`, `note`,
///   `attachments`; report-in and resolve by a department act on its own part;
/// - `attachments` are files' paths, relative to the journal's folder (to the current folder for
///   standard input), checked as `--attach` checks them and stored with the journal;
/// - plan-inspection: `key`, `title`, `sites` (layers) and/or `siteIDs`, `items` [[name, department], …];
/// - finding: `key`, `inspection` (a key or an IN- id), `site`, `item`, `description`,
///   `category` (default school-safety), `deadline`;
/// - activity: `kind` (activity, volunteer-service), `title`, `service`, `point`, `organiser`, `attendance`.
public struct EventJournal {
    /// One line of the journal, as written.
    struct Line: Decodable {
        var `do`: String
        var at: String
        var `as`: String?
        var key: String?
        var event: String?
        var inspection: String?
        var category: String?
        var urgency: String?
        var point: [Double]?
        var description: String?
        var residents: [String]?
        var reportedBy: String?
        var departments: [String]?
        var deadline: String?
        var reason: String?
        var satisfaction: String?
        var note: String?
        var title: String?
        var sites: [String]?
        var siteIDs: [String]?
        var items: [[String]]?
        var site: String?
        var item: String?
        var kind: String?
        var service: String?
        var organiser: String?
        var attendance: Int?
        var attachments: [String]?
    }

    /// What a journal recorded.
    public struct Summary: Sendable, Hashable {
        public var events = 0
        public var actions = 0
        public var inspections = 0
        public var findings = 0
        public var activities = 0

        public init(events: Int = 0, actions: Int = 0, inspections: Int = 0, findings: Int = 0, activities: Int = 0) {
            (self.events, self.actions, self.inspections, self.findings, self.activities) = (events, actions, inspections, findings, activities)
        }
    }

    let desk: EventDesk
    /// The journal's name, for messages.
    let name: String

    public init(desk: EventDesk, name: String) {
        self.desk = desk
        self.name = name
    }

    /// Records every line of the journal file at `path` ("-" for standard input) in one
    /// transaction, or nothing; `now` bounds the times. The file is read a block at a time, line
    /// by line: only the operations it makes are held, never the whole text.
    @discardableResult
    public func record(file path: String, now: Date) throws(JobError) -> Summary {
        guard let reader = CSVRecordReader(path: path) else {
            throw .cannotStart("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        return try record(reader, now: now, folder: path == "-" ? nil : URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Records every line of `text` in one transaction, or nothing; `now` bounds the times.
    /// Attachments' paths are relative to `folder` (default: the current folder).
    @discardableResult
    public func record(_ text: String, now: Date, folder: String? = nil) throws(JobError) -> Summary {
        try record(CSVRecordReader(bytes: Array(text.utf8)), now: now, folder: folder)
    }

    /// Reads the journal's lines with the CSV reader, which hands over whole lines without a
    /// `String` per block: a JSON line is one CSV record, since JSON strings hold no raw line
    /// break (a quote the CSV rules leave open can only run on in a line that is not JSON, which
    /// is then refused at its first line). A line is at most ``CSVRecordReader/maximumRecordBytes``.
    private func record(_ reader: CSVRecordReader, now: Date, folder: String?) throws(JobError) -> Summary {
        var builder = Builder(desk: desk, now: now, folder: folder)
        var lines: [Int] = []
        while let block = try nextBlock(reader) {
            for record in block.records {
                let place = "\(name) line \(record.line)"
                if record.problem == .recordTooLong {
                    throw .invalidRequest("\(place): longer than \(CSVRecordReader.maximumRecordBytes) bytes, not a journal line")
                }
                let text = String(decoding: block.bytes(of: record), as: UTF8.self)
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                do {
                    let line = try JSONDecoder().decode(Line.self, from: Data(trimmed.utf8))
                    try builder.add(line)
                } catch let error as JobError {
                    throw JobError(error.kind, "\(place): \(error.message)", details: error.details)
                } catch {
                    throw .invalidRequest("\(place): not a journal line (\(Self.reason(error)))")
                }
                lines.append(record.line)
            }
        }
        do {
            try desk.store.append(builder.operations, uploads: builder.uploads, catalogue: desk.catalogue)
        } catch {
            var place = name
            if case .operation(let index, _) = error, lines.indices.contains(builder.lineOfOperation[index]) {
                place = "\(name) line \(lines[builder.lineOfOperation[index]])"
            } else if builder.operations.count == 1, let line = lines.first {
                place = "\(name) line \(line)"
            }
            throw EventDesk.jobError(error, where: place)
        }
        return builder.summary
    }

    private func nextBlock(_ reader: CSVRecordReader) throws(JobError) -> CSVBlock? {
        do {
            return try reader.nextBlock()
        } catch {
            throw .cannotStart("cannot read \(name): \(error.description)")
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): "no \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            (context.codingPath.map(\.stringValue).joined(separator: ".") + " " + context.debugDescription).trimmingCharacters(in: .whitespaces)
        default: "\(error)"
        }
    }

    /// Turns lines into the log's operations, resolving keys and placing points.
    struct Builder {
        let desk: EventDesk
        let now: Date
        /// The folder attachments' relative paths start from; nil for the current folder.
        let folder: String?
        var operations: [EventLogOperation] = []
        /// The files the lines attach, checked (hash, size, type) and read again when stored.
        var uploads: [AttachmentUpload] = []
        /// For each operation, the index (among the journal's non-empty lines) of its line.
        var lineOfOperation: [Int] = []
        var eventKeys: [String: Int] = [:]
        var inspectionKeys: [String: (operation: Int, plan: Inspection)] = [:]
        var summary = Summary()
        private var lineIndex = -1

        init(desk: EventDesk, now: Date, folder: String?) {
            self.desk = desk
            self.now = now
            self.folder = folder
        }

        mutating func add(_ line: Line) throws(JobError) {
            lineIndex += 1
            let time = try EventTimes.parse(line.at, option: "at")
            try EventTimes.checkNotFuture(time, now: now, option: "at")
            switch line.do {
            case "raise":
                let key = try required(line.key, "key")
                guard eventKeys[key] == nil else { throw .invalidRequest("the key \(key) names an earlier event") }
                let request = RaiseRequest(category: try required(line.category, "category"), urgency: try urgency(line.urgency),
                                           description: try required(line.description, "description"), location: try point(line.point),
                                           reportedByResident: line.reportedBy, residents: line.residents ?? [])
                var report = try desk.report(request)
                report.attachments = try attachments(line)
                eventKeys[key] = operations.count
                append(.raise(EventEntry(at: time, actor: try actor(line), action: .raise(report), note: line.note ?? "")))
                summary.events += 1
            case "take", "whistle", "report-in", "resolve", "verify", "send-back", "close":
                let actor = try actor(line)
                let entry = EventEntry(at: time, actor: actor, action: try action(line, actor: actor), note: line.note ?? "",
                                       attachments: try attachments(line))
                append(.record(try reference(line.event, "event", keys: eventKeys), entry))
                summary.actions += 1
            case "plan-inspection":
                let key = try required(line.key, "key")
                let items = try (line.items ?? []).map { pair throws(JobError) -> InspectionItem in
                    guard pair.count == 2 else { throw .invalidRequest("an item is [name, department]") }
                    return InspectionItem(name: pair[0], department: pair[1])
                }
                let kinds = try (line.sites ?? []).map { layer throws(JobError) -> FeatureKind in
                    guard let kind = FeatureKind(layerName: layer) else { throw .invalidRequest("no layer \(layer)") }
                    return kind
                }
                let plan = try desk.inspectionPlan(title: try required(line.title, "title"), date: time, organiser: try actor(line),
                                                   siteKinds: kinds, siteIDs: line.siteIDs ?? [], items: items)
                inspectionKeys[key] = (operations.count, plan)
                append(.planInspection(plan))
                summary.inspections += 1
            case "finding":
                let key = try required(line.key, "key")
                let inspectionName = try required(line.inspection, "inspection")
                let plan: Inspection
                let target: EventReference
                if let known = inspectionKeys[inspectionName] {
                    (plan, target) = (known.plan, .made(byOperation: known.operation))
                } else {
                    plan = try desk.inspection(inspectionName).inspection
                    target = .id(inspectionName)
                }
                let site = try required(line.site, "site"), item = try required(line.item, "item")
                let (raise, whistle) = try desk.findingEntries(
                    of: plan, site: site, item: item, description: try required(line.description, "description"),
                    category: line.category ?? "school-safety", urgency: try urgency(line.urgency),
                    deadline: try EventTimes.parse(try required(line.deadline, "deadline"), option: "deadline"), by: try actor(line), at: time)
                eventKeys[key] = operations.count
                append(.finding(inspection: target, site: site, item: item, raise: raise, whistle: whistle))
                summary.findings += 1
            case "activity":
                let kindText = try required(line.kind, "kind")
                guard let kind = Activity.Kind(rawValue: kindText) else { throw .invalidRequest("kind is activity or volunteer-service, not \(kindText)") }
                let activity = try desk.activity(kind: kind, title: try required(line.title, "title"), service: line.service ?? "",
                                                 at: try point(line.point), date: time, organiser: try required(line.organiser, "organiser"),
                                                 attendance: try required(line.attendance, "attendance"))
                append(.activity(activity))
                summary.activities += 1
            case let other:
                throw .invalidRequest("\"do\": \(other) is not one of raise, take, whistle, report-in, resolve, verify, send-back, close, plan-inspection, finding, activity")
            }
        }

        private mutating func append(_ operation: EventLogOperation) {
            operations.append(operation)
            lineOfOperation.append(lineIndex)
        }

        private func action(_ line: Line, actor: EventActor) throws(JobError) -> EventAction {
            let deadline = try line.deadline.map { text throws(JobError) in try EventTimes.parse(text, option: "deadline") }
            let ownDepartment: String? = if case .department(let code, _) = actor { code } else { nil }
            switch line.do {
            case "take": return .take(deadline: deadline)
            case "whistle": return .whistle(departments: line.departments ?? [], resolutionDeadline: deadline)
            case "report-in":
                guard let ownDepartment else { throw .invalidRequest("a department reports in: \"as\": \"department:CODE\"") }
                return .reportIn(department: ownDepartment)
            case "resolve": return .resolve(department: ownDepartment)
            case "verify": return .verify
            case "send-back": return .sendBack(departments: line.departments ?? [], reason: try required(line.reason, "reason"))
            default:
                let text = try required(line.satisfaction, "satisfaction")
                guard let rating = Satisfaction(rawValue: text) else { throw .invalidRequest("satisfaction \(text) is not satisfied, basically-satisfied or dissatisfied") }
                return .close(rating)
            }
        }

        /// The files `line` attaches, checked, their uploads kept for the batch.
        private mutating func attachments(_ line: Line) throws(JobError) -> [EventAttachment] {
            guard let paths = line.attachments, !paths.isEmpty else { return [] }
            let base = URL(fileURLWithPath: folder ?? FileManager.default.currentDirectoryPath, isDirectory: true)
            let files = paths.map { AttachmentFile(path: URL(fileURLWithPath: $0, relativeTo: base).path) }
            let made = try desk.uploads(files)
            uploads += made
            return made.map(\.attachment)
        }

        private func actor(_ line: Line) throws(JobError) -> EventActor { try desk.actor(try required(line.as, "as")) }

        private func urgency(_ text: String?) throws(JobError) -> Urgency {
            guard let text else { return .normal }
            guard let urgency = Urgency(rawValue: text) else { throw .invalidRequest("urgency \(text) is not normal or urgent") }
            return urgency
        }

        private func point(_ values: [Double]?) throws(JobError) -> Position {
            guard let values, values.count == 2, values.allSatisfy(\.isFinite) else { throw .invalidRequest("point wants [longitude, latitude]") }
            return Position(x: values[0], y: values[1])
        }

        private func reference(_ text: String?, _ field: String, keys: [String: Int]) throws(JobError) -> EventReference {
            let name = try required(text, field)
            if let index = keys[name] { return .made(byOperation: index) }
            guard name.hasPrefix("EV-") else { throw .invalidRequest("\(field) \(name) is neither an earlier line's key nor an EV- id") }
            return .id(name)
        }

        private func required<T>(_ value: T?, _ field: String) throws(JobError) -> T {
            guard let value else { throw .invalidRequest("no \"\(field)\"") }
            return value
        }
    }
}
