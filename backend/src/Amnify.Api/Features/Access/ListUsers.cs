using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

[CanFail(FailureKind.Invalid)]
public sealed record ListUsers(int Limit, string? Cursor) : IQuery<Page<User>>;

public sealed class ListUsersValidator : AbstractValidator<ListUsers>
{
    public ListUsersValidator() => this.AddListRules(x => x.Limit, x => x.Cursor);
}

public sealed class ListUsersHandler(Db db) : IQueryHandler<ListUsers, Page<User>>
{
    private const string Select = $"""
        SELECT {User.Columns} FROM users
        WHERE @AfterKey::text IS NULL OR (lower(email COLLATE "C"), id) > ({NameOrder.AfterKey}, @AfterId::uuid)
        ORDER BY lower(email COLLATE "C"), id LIMIT @Take
        """;

    public async ValueTask<Page<User>> Handle(ListUsers query, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(query.Cursor);
        var rows = await db.Read((c, token) => c.QueryAsync<User>(new CommandDefinition(Select, new { AfterKey = after?.Key, AfterId = after?.Id, Take = query.Limit + 1 }, cancellationToken: token)), cancellationToken);
        return Cursor.Paginate(rows.AsList(), query.Limit, u => new Cursor(u.Email, u.Id.ToString()));
    }
}

public static class ListUsersEndpoint
{
    public static async Task<Ok<Page<User>>> Handle(ISender sender, CancellationToken ct, int limit = Cursor.DefaultLimit, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListUsers(limit, cursor), ct));
}
