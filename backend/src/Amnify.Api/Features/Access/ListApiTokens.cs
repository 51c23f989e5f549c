using System.Security.Claims;
using Amnify.Api.Database;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>The caller's own tokens, newest first (revoked ones included, marked).</summary>
public sealed record ListApiTokens(Guid UserId) : IQuery<ApiToken[]>;

public sealed class ListApiTokensHandler(Db db) : IQueryHandler<ListApiTokens, ApiToken[]>
{
    public async ValueTask<ApiToken[]> Handle(ListApiTokens query, CancellationToken cancellationToken) =>
        (await db.Read((c, token) => c.QueryAsync<ApiToken>(new CommandDefinition($"{ApiToken.Select} WHERE t.user_id = @UserId ORDER BY t.created_at DESC LIMIT 500", query, cancellationToken: token)), cancellationToken)).ToArray();
}

public static class ListApiTokensEndpoint
{
    public static async Task<Ok<ApiToken[]>> Handle(ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListApiTokens(Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!)), ct));
}
