using System.Collections.Concurrent;
using System.Security.Claims;
using Amnify.Api.Database;
using Amnify.Api.Http;
using Dapper;
using Npgsql;

namespace Amnify.Api.Auth;

/// <summary>
/// Credentials are checked when a request starts; a live event stream lasts hours. Every few seconds this checks
/// again, in one query for all open streams together, that each stream's token or session still stands (not
/// revoked, not expired, its user enabled, a CI token's owner still allowed to trigger) and ends the streams whose
/// credential does not.
/// </summary>
public sealed class CredentialWatch(Db db, StreamOptions options, ILogger<CredentialWatch> log) : BackgroundService
{
    private const string StandingTokens = """
        SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.id = ANY(@Tokens) AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT u.disabled
          AND (t.kind <> 'pipeline' OR u.role = ANY(@TriggerRoles))
        """;

    private const string StandingSessions = """
        SELECT s.token_hash FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ANY(@Sessions) AND s.expires_at > now() AND NOT u.disabled
        """;

    private static readonly string[] TriggerRoles = Enum.GetValues<Role>()
        .Where(r => r >= RoleRequirementHandler.PipelineTokenOwnerMinimum).Select(r => r.Code()).ToArray();

    private readonly ConcurrentDictionary<Watched, byte> watching = new();

    /// <summary>
    /// The stream's lifetime: its token is cancelled when the request ends or the caller's credential stops standing.
    /// Dispose it when the stream ends.
    /// </summary>
    public Watched Watch(ClaimsPrincipal user, CancellationToken requestAborted)
    {
        var watched = new Watched(this, user.FindFirstValue(AmnifyAuthentication.TokenClaim),
            user.FindFirstValue(AmnifyAuthentication.SessionClaim), CancellationTokenSource.CreateLinkedTokenSource(requestAborted));
        watching.TryAdd(watched, 0);
        return watched;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.CredentialRecheckSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (watching.IsEmpty) continue;
                try
                {
                    await Recheck(stoppingToken);
                }
                catch (NpgsqlException e)
                {
                    // The streams' own reads fail too while the database is away; the next tick checks again.
                    log.LogWarning("Could not re-check the credentials of open streams ({Message})", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task Recheck(CancellationToken cancellationToken)
    {
        var streams = watching.Keys.ToList();
        var tokens = streams.Select(s => Guid.TryParse(s.TokenId, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToArray();
        var sessions = streams.Select(s => s.SessionHash).OfType<string>().Distinct().ToArray();
        var (standingTokens, standingSessions) = await db.Read(async (c, token) => (
            (await c.QueryAsync<Guid>(new CommandDefinition(StandingTokens, new { Tokens = tokens, TriggerRoles }, cancellationToken: token))).Select(id => id.ToString()).ToHashSet(),
            (await c.QueryAsync<string>(new CommandDefinition(StandingSessions, new { Sessions = sessions }, cancellationToken: token))).ToHashSet()), cancellationToken);
        foreach (var stream in streams)
        {
            var stands = stream.TokenId is { } token ? standingTokens.Contains(token)
                : stream.SessionHash is { } session && standingSessions.Contains(session);
            if (!stands) stream.End();
        }
    }

    /// <summary>One open stream and the credential it was opened with.</summary>
    public sealed class Watched(CredentialWatch watch, string? tokenId, string? sessionHash, CancellationTokenSource lifetime) : IDisposable
    {
        internal string? TokenId => tokenId;
        internal string? SessionHash => sessionHash;

        public CancellationToken Token => lifetime.Token;

        internal void End()
        {
            try { lifetime.Cancel(); }
            catch (ObjectDisposedException) { } // the stream ended meanwhile
        }

        public void Dispose()
        {
            watch.watching.TryRemove(this, out _);
            lifetime.Dispose();
        }
    }
}
