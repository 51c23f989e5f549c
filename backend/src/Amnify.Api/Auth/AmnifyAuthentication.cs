using System.Security.Claims;
using System.Text.Encodings.Web;
using Amnify.Api.Database;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Amnify.Api.Auth;

/// <summary>
/// Who is calling: a bearer API token (personal or pipeline trigger) or the SPA's session cookie.
/// Unknown, expired, revoked or disabled credentials are a 401; never a guess. A disabled user's tokens and
/// sessions stop at once (their sessions are also deleted); re-enabling the user brings the tokens back.
/// The claims name the credential, so a long-lived request can have it re-checked (<see cref="CredentialWatch"/>).
/// A credential the database vouched for is kept a few seconds in <see cref="VerifiedCredentials"/> (evicted in every
/// process by any change to it), and a token's last use is written in batches (<see cref="TokenUsage"/>): a request
/// usually authenticates without a database round trip.
/// </summary>
public sealed class AmnifyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Db db,
    VerifiedCredentials cache, TokenUsage usage, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Amnify";
    public const string SessionCookie = "amnify_session";
    public const string MethodClaim = "amnify:method";
    public const string PipelineClaim = "amnify:pipeline";
    /// <summary>The API token's id (personal or pipeline).</summary>
    public const string TokenClaim = "amnify:token";
    /// <summary>The session's stored hash (never the cookie's value).</summary>
    public const string SessionClaim = "amnify:session";
    /// <summary>A pipeline token's owner's role: the token works only while its owner may trigger.</summary>
    public const string OwnerRoleClaim = "amnify:owner-role";

    private const string TokenLookup = """
        SELECT t.id, t.kind, t.name, t.pipeline_id, u.id AS user_id, u.email, u.role, t.last_used_at, t.expires_at
        FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = @Hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT u.disabled
        """;

    // A token's first use; later ones go through TokenUsage's batches.
    private const string TouchToken = "UPDATE api_tokens SET last_used_at = now() WHERE id = @Id";

    private const string SessionLookup = """
        SELECT u.id AS user_id, u.email, u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = @Hash AND s.expires_at > now() AND NOT u.disabled
        """;

    private sealed record TokenRow
    {
        public required Guid Id { get; init; }
        public required string Kind { get; init; }
        public required string Name { get; init; }
        public Guid? PipelineId { get; init; }
        public required Guid UserId { get; init; }
        public required string Email { get; init; }
        public required Role Role { get; init; }
        public DateTimeOffset? LastUsedAt { get; init; }
        public DateTimeOffset? ExpiresAt { get; init; }
    }

    private sealed record SessionRow
    {
        public required Guid UserId { get; init; }
        public required string Email { get; init; }
        public required Role Role { get; init; }
        public required DateTimeOffset ExpiresAt { get; init; }
    }

    /// <summary>
    /// A verified credential as the cache keeps it: the database's answer and the principal built from it once, shared by
    /// every request that presents the credential until it is evicted (so nothing may add to a request's principal).
    /// </summary>
    private sealed record VerifiedToken(TokenRow Row, ClaimsPrincipal Principal);

    private sealed record VerifiedSession(ClaimsPrincipal Principal);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
                return AuthenticateResult.Fail("Use Authorization: Bearer <token>.");
            var hash = Tokens.Hash(header[7..].Trim());
            var now = time.GetUtcNow();
            var token = cache.Find<VerifiedToken>(hash, now);
            if (token is null)
            {
                var ticket = cache.Begin();
                var row = await db.Read((c, ct) => c.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(TokenLookup, new { Hash = hash }, cancellationToken: ct)), Context.RequestAborted);
                if (row is null) return AuthenticateResult.Fail("The token is unknown, expired or revoked.");
                token = new VerifiedToken(row, Principal(row));
                cache.Add(hash, token, row.ExpiresAt, ticket);
            }
            if (usage.Used(token.Row.Id, token.Row.LastUsedAt, now))
            {
                await using var connection = await db.Open(Context.RequestAborted);
                await connection.ExecuteAsync(new CommandDefinition(TouchToken, new { token.Row.Id }, cancellationToken: Context.RequestAborted));
            }
            return Success(token.Principal);
        }

        if (Request.Cookies[SessionCookie] is { Length: > 0 and < 200 } session)
        {
            var hash = Tokens.Hash(session);
            var user = cache.Find<VerifiedSession>(hash, time.GetUtcNow());
            if (user is null)
            {
                var ticket = cache.Begin();
                var row = await db.Read((c, ct) => c.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(SessionLookup, new { Hash = hash }, cancellationToken: ct)), Context.RequestAborted);
                if (row is null) return AuthenticateResult.NoResult();
                user = new VerifiedSession(Principal(row, hash));
                cache.Add(hash, user, row.ExpiresAt, ticket);
            }
            return Success(user.Principal);
        }
        return AuthenticateResult.NoResult();
    }

    private static ClaimsPrincipal Principal(TokenRow token)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, token.UserId.ToString()),
            new(MethodClaim, token.Kind == "pipeline" ? "ci" : "api"),
            new(TokenClaim, token.Id.ToString()),
        };
        if (token.PipelineId is { } pipeline)
        {
            claims.Add(new Claim(ClaimTypes.Name, $"{token.Email} (CI token '{token.Name}')"));
            claims.Add(new Claim(PipelineClaim, pipeline.ToString()));
            claims.Add(new Claim(OwnerRoleClaim, token.Role.Code()));
            return new ClaimsPrincipal(new AmnifyIdentity(claims, new Caller(null, token.UserId), pipeline.ToString(), ownerRole: token.Role));
        }
        claims.Add(new Claim(ClaimTypes.Name, token.Email));
        claims.Add(new Claim(ClaimTypes.Role, token.Role.Code()));
        return new ClaimsPrincipal(new AmnifyIdentity(claims, new Caller(token.Role, token.UserId), pipeline: null, ownerRole: null));
    }

    private static ClaimsPrincipal Principal(SessionRow user, string hash) => new(new AmnifyIdentity(
        [
            new(ClaimTypes.NameIdentifier, user.UserId.ToString()), new(ClaimTypes.Name, user.Email),
            new(ClaimTypes.Role, user.Role.Code()), new(MethodClaim, "ui"), new(SessionClaim, hash),
        ], new Caller(user.Role, user.UserId), pipeline: null, ownerRole: null));

    private static AuthenticateResult Success(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "Sign in, or send Authorization: Bearer <API token>.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden", RoleRequirementHandler.PipelineTokenOwnerMayTrigger(Context.User)
            ? "Your role or token does not allow this."
            : $"This CI token's owner can no longer trigger runs (it needs the {RoleRequirementHandler.PipelineTokenOwnerMinimum.Code()} role or above, enabled).");

    private Task Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail, type: $"https://httpstatuses.io/{status}").ExecuteAsync(Context);
}
