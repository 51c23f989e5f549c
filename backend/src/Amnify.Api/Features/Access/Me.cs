using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Amnify.Api.Auth;
using Amnify.Api.Database;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>The caller: the user behind the session or token. <c>role</c> is null for a pipeline trigger token.</summary>
public sealed record Me(Guid Id, string Email, string DisplayName, Role? Role, [property: AllowedValues("ui", "api", "ci")] string Method);

public sealed record GetMe(ClaimsPrincipal User) : IQuery<Me>;

public sealed class GetMeHandler(Db db) : IQueryHandler<GetMe, Me>
{
    private const string Select = "SELECT email, display_name FROM users WHERE id = @id";

    private sealed record Row(string Email, string DisplayName);

    public async ValueTask<Me> Handle(GetMe query, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(query.User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var row = await db.Read((c, token) => c.QuerySingleAsync<Row>(new CommandDefinition(Select, new { id }, cancellationToken: token)), cancellationToken);
        Role? role = Enum.TryParse<Role>(query.User.FindFirstValue(ClaimTypes.Role), true, out var r) ? r : null;
        return new Me(id, row.Email, row.DisplayName, role, query.User.FindFirstValue(AmnifyAuthentication.MethodClaim)!);
    }
}

public static class GetMeEndpoint
{
    public static async Task<Ok<Me>> Handle(ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetMe(user), ct));
}
