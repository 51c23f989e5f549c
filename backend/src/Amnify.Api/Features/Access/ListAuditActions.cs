using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>Every action the audit log records, for filtering it by action.</summary>
public sealed record AuditActionList(IReadOnlyList<string> Actions);

/// <summary>The audit log's actions, from the one list <see cref="AuditTrail"/> writes.</summary>
[CanFail]
public sealed record ListAuditActions : IQuery<AuditActionList>;

public sealed class ListAuditActionsHandler : IQueryHandler<ListAuditActions, AuditActionList>
{
    public ValueTask<AuditActionList> Handle(ListAuditActions query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new AuditActionList(AuditActions.All));
}

public static class ListAuditActionsEndpoint
{
    public static async Task<Ok<AuditActionList>> Handle(ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListAuditActions(), ct));
}
