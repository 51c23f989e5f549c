using Amnify.Api.Auth;
using Amnify.Api.Database;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>Ends the session: its row is deleted, so the cookie is worthless even if kept.</summary>
public sealed record Logout(string? SessionToken) : ICommand;

public sealed class LogoutHandler(Db db, AuditTrail audit, VerifiedCredentials credentials) : ICommandHandler<Logout>
{
    private const string Delete = "DELETE FROM sessions WHERE token_hash = @Hash RETURNING user_id";

    public async ValueTask<Unit> Handle(Logout command, CancellationToken cancellationToken)
    {
        if (command.SessionToken is null) return Unit.Value;
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(Delete, new { Hash = Tokens.Hash(command.SessionToken) }, transaction, cancellationToken: cancellationToken)) is { } user)
            await audit.Record(connection, transaction, "auth.logout", "user", user);
        await transaction.CommitAsync(cancellationToken);
        await credentials.EvictEverywhere(connection, cancellationToken);
        return Unit.Value;
    }
}

public static class LogoutEndpoint
{
    public static async Task<NoContent> Handle(HttpContext context, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Logout(context.Request.Cookies[AmnifyAuthentication.SessionCookie]), ct);
        context.Response.Cookies.Delete(AmnifyAuthentication.SessionCookie, new CookieOptions { Path = "/" });
        return TypedResults.NoContent();
    }
}
