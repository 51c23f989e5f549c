using Amnify.Api.Auth;
using System.Text.Json;
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

namespace Amnify.Api.Features.Deployments;

[CanFail(FailureKind.Invalid, FailureKind.Conflict)]
public sealed record CreateDeployment(
    Guid ProjectId, string TemplateId, Guid CloudEnvironmentId, string Name, string? Description,
    Dictionary<string, JsonElement>? Variables, string[]? Tags, bool? RequireDistinctApprover = null) : ICommand<Result<Deployment>>;

public sealed class CreateDeploymentValidator : AbstractValidator<CreateDeployment>
{
    public CreateDeploymentValidator()
    {
        RuleFor(x => x.ProjectId).NotEmpty().WithMessage("Project is required.");
        RuleFor(x => x.TemplateId).NotEmpty().WithMessage("Template is required.");
        RuleFor(x => x.CloudEnvironmentId).NotEmpty().WithMessage("Cloud environment is required.");
        RuleFor(x => x.Name).RequiredText("Name");
        RuleFor(x => x.Description).Description();
        RuleFor(x => x.Tags).Tags();
    }
}

public sealed class CreateDeploymentHandler(Db db, SecretBox secrets, AuditTrail audit) : ICommandHandler<CreateDeployment, Result<Deployment>>
{
    private const string Environment = "SELECT provider, region FROM cloud_environments WHERE id = @CloudEnvironmentId";
    private const string ProjectProvider = "SELECT provider FROM projects WHERE id = @ProjectId";

    private const string Insert = """
        INSERT INTO deployments (id, provider, project_id, template_id, cloud_environment_id, name, description,
                                 variables, sensitive_keys, sensitive_encrypted, tags, require_distinct_approver, approval_policy)
        VALUES (@Id, @Provider, @ProjectId, @TemplateId, @CloudEnvironmentId, @Name, @Description,
                @Variables::jsonb, @SensitiveKeys, @SensitiveEncrypted, @Tags, @RequireDistinctApprover, @ApprovalPolicy::jsonb)
        ON CONFLICT DO NOTHING
        """;

    public async ValueTask<Result<Deployment>> Handle(CreateDeployment command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var provider = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(ProjectProvider, new { command.ProjectId }, transaction, cancellationToken: cancellationToken));
        if (provider is null) return Failure.Invalid("projectId", "No such project.");
        var template = await DeploymentVariables.LoadTemplate(connection, command.TemplateId, transaction, cancellationToken);
        if (template is null) return Failure.Invalid("templateId", $"No template '{command.TemplateId}'.");
        if (template.Removed) return Failure.Invalid("templateId", "This template was removed from the source.");
        if (template.Provider != provider)
            return Failure.Invalid("templateId", $"The template is for {template.Provider}, the project for {provider}.");
        var environment = await connection.QuerySingleOrDefaultAsync<EnvironmentRef>(new CommandDefinition(Environment, new { command.CloudEnvironmentId }, transaction, cancellationToken: cancellationToken));
        if (environment is null) return Failure.Invalid("cloudEnvironmentId", "No such cloud environment.");
        if (environment.Provider != provider)
            return Failure.Invalid("cloudEnvironmentId", $"The cloud environment is for {environment.Provider}, the project for {provider}.");

        var resolved = DeploymentVariables.Resolve(template.Variables, command.Variables ?? [], environment.Region);
        if (resolved.Failure is { } invalid) return invalid;
        var variables = resolved.Value;
        var id = Guid.CreateVersion7();
        var name = command.Name.Trim();
        var inserted = await connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            Id = id, Provider = provider, command.ProjectId, command.TemplateId, command.CloudEnvironmentId, Name = name,
            Description = command.Description?.Trim() ?? "", Variables = variables.PlainJson,
            variables.SensitiveKeys, SensitiveEncrypted = variables.SealSensitive(secrets, id),
            Tags = FieldRules.CleanTags(command.Tags) ?? [],
            RequireDistinctApprover = command.RequireDistinctApprover ?? false,
            // Four-eyes folds into the deployment's approval policy; it can only tighten the environment's.
            ApprovalPolicy = (command.RequireDistinctApprover == true
                ? new ApprovalPolicyOverride { DistinctFromTrigger = true, DistinctBetweenGates = true }
                : new ApprovalPolicyOverride()).ToJson(),
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0) return Failure.Conflict($"The project already has a deployment named '{name}'.");
        await audit.Record(connection, transaction, "deployment.create", "deployment", id);
        var deployment = (await Deployment.Load(connection, id, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return deployment;
    }
}

internal sealed record EnvironmentRef(string Provider, string Region);

public static class CreateDeploymentEndpoint
{
    public static async Task<Results<Created<Deployment>, ProblemHttpResult>> Handle(
        CreateDeployment body, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(body, ct)).Match(d => TypedResults.Created(context.PathTo("GetDeployment", d.Id), d));
}
