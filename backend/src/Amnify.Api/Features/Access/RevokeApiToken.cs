using System.Security.Claims;
using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>Revokes a token at once; an admin may revoke anyone's.</summary>
public sealed record RevokeApiToken(Guid Id, Guid UserId, bool IsAdmin) : ICommand<Result<Unit>>;

public sealed class RevokeApiTokenHandler(Db db, AuditTrail audit) : ICommandHandler<RevokeApiToken, Result<Unit>>
{
    private const string Revoke = """
        UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now())
        WHERE id = @Id AND (@IsAdmin OR user_id = @UserId)
        """;

    public async ValueTask<Result<Unit>> Handle(RevokeApiToken command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(Revoke, command, transaction) == 0) return Failure.NotFound($"Token {command.Id}");
        await audit.Record(connection, transaction, "token.revoke", "token", command.Id);
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class RevokeApiTokenEndpoint
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
        (await sender.Send(new RevokeApiToken(id, Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), user.IsInRole(Role.Admin.Code())), ct))
        .Match(_ => TypedResults.NoContent());
}
