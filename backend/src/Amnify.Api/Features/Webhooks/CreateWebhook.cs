using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Amnify.Api.Secrets;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Amnify.Api.Features.Webhooks;

/// <summary>
/// Registers an endpoint (admin) for some event types, or all. Its signing secret is made here, sealed with
/// Secrets:Key, and shown in this answer only. An address on a private network is refused unless allowed (SSRF).
/// </summary>
[CanFail(FailureKind.Invalid)]
public sealed record CreateWebhook(string Url, string[]? EventTypes, string? Description) : ICommand<Result<CreatedWebhook>>;

public sealed class CreateWebhookValidator : AbstractValidator<CreateWebhook>
{
    public CreateWebhookValidator()
    {
        RuleFor(x => x.Url).NotEmpty().WithMessage("Url is required.").MaximumLength(2000)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.UserInfo.Length == 0)
            .WithMessage("Url must be an absolute http or https URL without user name or password.");
        RuleForEach(x => x.EventTypes).Must(t => WebhookEventTypes.All.Contains(t))
            .WithMessage($"Each event type must be one of {string.Join(", ", WebhookEventTypes.All)}.");
        RuleFor(x => x.Description).MaximumLength(200);
    }
}

public sealed class CreateWebhookHandler(Db db, SecretBox secrets, AuditTrail audit, IOptions<WebhookOptions> options)
    : ICommandHandler<CreateWebhook, Result<CreatedWebhook>>
{
    private const string Insert = """
        INSERT INTO webhook_endpoints (id, url, description, event_types, secret_encrypted, created_by)
        VALUES (@Id, @Url, @Description, @EventTypes, @SecretEncrypted, @CreatedBy)
        """;

    private sealed record Row(Guid Id, string Url, string Description, string[] EventTypes, byte[] SecretEncrypted, string CreatedBy);

    public async ValueTask<Result<CreatedWebhook>> Handle(CreateWebhook command, CancellationToken cancellationToken)
    {
        var uri = new Uri(command.Url);
        if ((await WebhookAddresses.Usable(uri.IdnHost, options.Value.AllowPrivateNetworks, cancellationToken)).Length == 0)
            return Failure.Invalid("url", $"{uri.Host} does not resolve, or resolves to a loopback, link-local or private address, which webhooks may not be sent to.");
        var id = Guid.CreateVersion7();
        var secret = WebhookSignature.NewSecret();
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Insert, new Row(id, command.Url, command.Description?.Trim() ?? "",
            (command.EventTypes ?? []).Distinct().ToArray(), secrets.Seal(secret, id), audit.Actor), transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "webhook.create", "webhook", id, command.Url);
        var created = await connection.QuerySingleAsync<Webhook>(new CommandDefinition($"{Webhook.Select} WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new CreatedWebhook(secret, created);
    }
}

public static class CreateWebhookEndpoint
{
    public static async Task<Results<Created<CreatedWebhook>, ProblemHttpResult>> Handle(CreateWebhook body, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(body, ct)).Match(w => TypedResults.Created(context.PathTo("ListWebhookDeliveries", w.Webhook.Id), w));
}
