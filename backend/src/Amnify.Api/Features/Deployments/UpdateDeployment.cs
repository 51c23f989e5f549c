using System.Security.Claims;
using System.Text.Json;
using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Http;
using Amnify.Api.Secrets;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Amnify.Api.Features.Deployments;

/// <summary>
/// Changes the fields given. In <c>variables</c>, a value sets a variable, null clears it, and variables
/// left out keep their values — so a sensitive value is kept unless a new one is sent. Changing the deployment's approval
/// policy (<c>approvalPolicy</c>, which replaces the whole override, or the four-eyes flag <c>requireDistinctApprover</c>
/// folded into it) is for admins only: it is what checks the approvers, so they may not switch it.
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.Forbidden, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record UpdateDeployment(
    Guid Id, string? Name, string? Description, Guid? CloudEnvironmentId, Dictionary<string, JsonElement>? Variables, string[]? Tags,
    bool? RequireDistinctApprover, Role CallerRole, ApprovalPolicyOverride? ApprovalPolicy = null) : ICommand<Result<Deployment>>;

public sealed record UpdateDeploymentBody(
    string? Name, string? Description, Guid? CloudEnvironmentId, Dictionary<string, JsonElement>? Variables, string[]? Tags,
    bool? RequireDistinctApprover, ApprovalPolicyOverride? ApprovalPolicy = null);

public sealed class UpdateDeploymentValidator : AbstractValidator<UpdateDeployment>
{
    public UpdateDeploymentValidator()
    {
        RuleFor(x => x.Name).OptionalText("Name");
        RuleFor(x => x.Description).Description();
        RuleFor(x => x.Tags).Tags();
        RuleFor(x => x.ApprovalPolicy).Override();
    }
}

public sealed class UpdateDeploymentHandler(Db db, SecretBox secrets, AuditTrail audit) : ICommandHandler<UpdateDeployment, Result<Deployment>>
{
    private const string Current = """
        SELECT d.provider, d.template_id, d.cloud_environment_id, d.variables::text AS variables_json, d.sensitive_encrypted,
               d.approval_policy
        FROM deployments d WHERE d.id = @Id FOR UPDATE
        """;

    private const string Environment = "SELECT provider, region FROM cloud_environments WHERE id = @Id";

    private const string Update = """
        UPDATE deployments SET
            name = COALESCE(@Name, name),
            description = COALESCE(@Description, description),
            cloud_environment_id = @CloudEnvironmentId,
            variables = @Variables::jsonb,
            sensitive_keys = @SensitiveKeys,
            sensitive_encrypted = @SensitiveEncrypted,
            tags = COALESCE(@Tags, tags),
            approval_policy = @ApprovalPolicy::jsonb,
            -- Kept in step for instances not yet upgraded, which still read the flag.
            require_distinct_approver = @RequireDistinctApprover,
            missing_variables = '{}',
            updated_at = now()
        WHERE id = @Id
        """;

    private sealed record CurrentRow
    {
        public required string Provider { get; init; }
        public required string TemplateId { get; init; }
        public required Guid CloudEnvironmentId { get; init; }
        public required string VariablesJson { get; init; }
        public byte[]? SensitiveEncrypted { get; init; }
        public required ApprovalPolicyOverride ApprovalPolicy { get; init; }
    }

    public async ValueTask<Result<Deployment>> Handle(UpdateDeployment command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<CurrentRow>(new CommandDefinition(Current, new { command.Id }, transaction, cancellationToken: cancellationToken));
        if (current is null) return Failure.NotFound($"Deployment {command.Id}");
        // Sending the policy unchanged (as the edit form does) is not changing it.
        var policy = Tightened(command, current.ApprovalPolicy);
        var ruleChange = command.RequireDistinctApprover is { } rule && rule != current.ApprovalPolicy.RequiresDistinctApprover;
        var policyChange = policy != current.ApprovalPolicy;
        if (policyChange && command.CallerRole < Role.Admin)
            return Failure.Forbidden(ruleChange
                ? "Only an admin may change requireDistinctApprover (the deployment's four-eyes rule); leave it out to change other fields."
                : "Only an admin may change approvalPolicy (who may approve this deployment's runs); leave it out to change other fields.");

        var environmentId = command.CloudEnvironmentId ?? current.CloudEnvironmentId;
        var environment = await connection.QuerySingleOrDefaultAsync<EnvironmentRef>(new CommandDefinition(Environment, new { Id = environmentId }, transaction, cancellationToken: cancellationToken));
        if (environment is null) return Failure.Invalid("cloudEnvironmentId", "No such cloud environment.");
        if (environment.Provider != current.Provider)
            return Failure.Invalid("cloudEnvironmentId", $"The cloud environment is for {environment.Provider}, the deployment for {current.Provider}.");

        // Re-check the whole set against the template's current version, so an edit also settles "needs configuration".
        var template = (await DeploymentVariables.LoadTemplate(connection, current.TemplateId, transaction, cancellationToken))!;
        var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(current.VariablesJson)!;
        foreach (var (key, value) in DeploymentVariables.OpenSensitive(secrets, current.SensitiveEncrypted, command.Id)) values[key] = value;
        foreach (var (key, value) in command.Variables ?? []) values[key] = value;
        var resolved = DeploymentVariables.Resolve(template.Variables, values, environment.Region);
        if (resolved.Failure is { } invalid) return invalid;
        var variables = resolved.Value;

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(Update, new
            {
                command.Id,
                Name = command.Name?.Trim(),
                Description = command.Description?.Trim(),
                CloudEnvironmentId = environmentId,
                Variables = variables.PlainJson,
                variables.SensitiveKeys,
                SensitiveEncrypted = variables.SealSensitive(secrets, command.Id),
                Tags = FieldRules.CleanTags(command.Tags),
                ApprovalPolicy = policy.ToJson(),
                RequireDistinctApprover = policy.RequiresDistinctApprover,
            }, transaction, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Failure.Conflict($"The project already has a deployment named '{command.Name?.Trim()}'.");
        }
        await audit.Record(connection, transaction, "deployment.update", "deployment", command.Id, Changes(command, current, ruleChange, policy));
        var deployment = (await Deployment.Load(connection, command.Id, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return deployment;
    }

    /// <summary>The override as it will be: the one sent (or the current one), with the four-eyes flag applied to it.</summary>
    private static ApprovalPolicyOverride Tightened(UpdateDeployment command, ApprovalPolicyOverride current)
    {
        var policy = command.ApprovalPolicy ?? current;
        return command.RequireDistinctApprover is { } flag
            ? policy with { DistinctFromTrigger = flag ? true : null, DistinctBetweenGates = flag ? true : null }
            : policy;
    }

    /// <summary>What the audit records: the fields sent, and for the four-eyes rule and the approval policy their old → new values.</summary>
    private static string? Changes(UpdateDeployment command, CurrentRow current, bool ruleChange, ApprovalPolicyOverride policy) => new[]
    {
        ruleChange ? $"requireDistinctApprover: {Flag(current.ApprovalPolicy.RequiresDistinctApprover)} → {Flag(command.RequireDistinctApprover!.Value)}" : null,
        command.ApprovalPolicy is not null && policy != current.ApprovalPolicy ? $"approvalPolicy: {current.ApprovalPolicy.ToJson()} → {policy.ToJson()}" : null,
        command.Name is null ? null : "name",
        command.Description is null ? null : "description",
        command.CloudEnvironmentId is { } environment && environment != current.CloudEnvironmentId
            ? $"cloudEnvironmentId: {current.CloudEnvironmentId} → {environment}" : null,
        command.Tags is null ? null : "tags",
        command.Variables is { Count: > 0 } ? $"variables: {string.Join(", ", command.Variables.Keys)}" : null,
    }.OfType<string>().ToArray() is { Length: > 0 } changes ? string.Join("; ", changes) : null;

    private static string Flag(bool value) => value ? "true" : "false";
}

public static class UpdateDeploymentEndpoint
{
    public static async Task<Results<Ok<Deployment>, ProblemHttpResult>> Handle(
        Guid id, UpdateDeploymentBody body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
        (await sender.Send(new UpdateDeployment(id, body.Name, body.Description, body.CloudEnvironmentId, body.Variables, body.Tags,
            body.RequireDistinctApprover, Enum.Parse<Role>(user.FindFirstValue(ClaimTypes.Role)!, ignoreCase: true), body.ApprovalPolicy), ct))
        .Match(TypedResults.Ok);
}
