using System.Security.Claims;
using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>
/// Revokes a token at once, with every token made with it (and made with those): none outlives its maker.
/// An admin may revoke anyone's. The answer comes once no process's credential cache still holds them; open event
/// streams using any of them end within seconds (<see cref="CredentialWatch"/>).
/// </summary>
[CanFail(FailureKind.NotFound)]
public sealed record RevokeApiToken(Guid Id, Guid UserId, bool IsAdmin) : ICommand<Result<Unit>>;

public sealed class RevokeApiTokenHandler(Db db, AuditTrail audit, VerifiedCredentials credentials) : ICommandHandler<RevokeApiToken, Result<Unit>>
{
    private const string Revoke = """
        WITH RECURSIVE lineage AS (
            SELECT id FROM api_tokens WHERE id = @Id AND (@IsAdmin OR user_id = @UserId)
            UNION
            SELECT t.id FROM api_tokens t JOIN lineage l ON t.created_by_token_id = l.id
        )
        UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id IN (SELECT id FROM lineage)
        """;

    public async ValueTask<Result<Unit>> Handle(RevokeApiToken command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var revoked = await connection.ExecuteAsync(new CommandDefinition(Revoke, command, transaction, cancellationToken: cancellationToken));
        if (revoked == 0) return Failure.NotFound($"Token {command.Id}");
        await audit.Record(connection, transaction, "token.revoke", "token", command.Id,
            revoked > 1 ? $"with {revoked - 1} token(s) made with it" : null);
        await transaction.CommitAsync(cancellationToken);
        await credentials.EvictEverywhere(connection, cancellationToken);
        return Unit.Value;
    }
}

public static class RevokeApiTokenEndpoint
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
        (await sender.Send(new RevokeApiToken(id, Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), user.IsInRole(Role.Admin.Code())), ct))
        .Match(_ => TypedResults.NoContent());
}
