import GridMapApp
import Hummingbird

/// Writes the audit log (who, when, what): one entry for every request that may change
/// something (POST, PUT, PATCH, DELETE — sign-ins included, refused ones too) and for every
/// answer that carried personal data (``RequestNote/readPersonalData(_:)``), with the account,
/// the client's address, the path, the status and what personal data went out.
///
/// It sits outside ``ProblemMiddleware``, so it sees the status an error was answered with, and
/// outside authentication, whose account it reads from the request's note. An answer carrying
/// personal data that cannot be recorded (a full disk, a store open read-only) is withheld: a
/// 500 goes out instead, so no personal data leaves unaudited. A write that cannot be recorded
/// is answered as it was (it has happened) and the failure goes to the server's log.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let accounts: Accounts
    /// A read-only store takes no writes, so a POST there is a read (a batch to locate, a tour to
    /// plan): only its personal data is recorded, which a read-only store cannot take, so such an
    /// answer is withheld below. Without this, every batch was an error line in the server's log.
    let storeIsReadOnly: Bool

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        let personalData = context.note.personalData
        let mayHaveChanged = AuthenticationMiddleware.changesState(request.method) && !storeIsReadOnly
        guard mayHaveChanged || !personalData.isEmpty else { return response }
        do {
            try accounts.audit(account: context.note.account, address: context.clientAddress, method: request.method.rawValue,
                               path: request.uri.path, status: response.status.code, personalData: personalData)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): cannot write the audit log: \(error)")
            if !personalData.isEmpty {
                return try ProblemDocument(status: .internalServerError, detail: "The answer carries personal data and could not be recorded in the audit log, so it is withheld.")
                    .response(from: request, context: context)
            }
        }
        return response
    }
}
