using Amnify.Api.Auth;

namespace Amnify.Api.Features.DeploymentRuns;

public static class DeploymentRunsEndpoints
{
    public static RouteGroupBuilder MapDeploymentRuns(this RouteGroupBuilder api)
    {
        var deployment = api.MapGroup("/deployments/{id:guid}/runs").WithTags("DeploymentRuns");
        deployment.MapPost("/", TriggerDeploymentRunEndpoint.Handle).WithName("TriggerDeploymentRun").RequireAuthorization(Policies.Operate)
            .WithSummary("Queues an execute or destroy run of the deployment (202 with the run).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        deployment.MapGet("/", ListDeploymentRunsEndpoint.Handle).WithName("ListDeploymentRuns").RequireAuthorization(Policies.Read)
            .WithSummary("The deployment's runs, newest first.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var runs = api.MapGroup("/deployment-runs/{id:guid}").WithTags("DeploymentRuns");
        runs.MapGet("/", GetDeploymentRunEndpoint.Handle).WithName("GetDeploymentRun").RequireAuthorization(Policies.Read)
            .WithSummary("A run: status, timestamps, approvals, plan summary, outputs, error, and what the caller may do now.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPost("/approve-plan", ApprovePlanEndpoint.Handle).WithName("ApprovePlan").RequireAuthorization(Policies.Approve)
            .WithSummary("Approves the plan (first of two approvals).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapPost("/approve-apply", ApproveApplyEndpoint.Handle).WithName("ApproveApply").RequireAuthorization(Policies.Approve)
            .WithSummary("Approves applying exactly the approved plan (second approval).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapPost("/cancel", CancelDeploymentRunEndpoint.Handle).WithName("CancelDeploymentRun").RequireAuthorization(Policies.Operate)
            .WithSummary("Cancels the run; allowed up to the approvals, not while applying or destroying.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapGet("/log", GetRunLogEndpoint.Handle).WithName("GetDeploymentRunLog").RequireAuthorization(Policies.Read)
            .WithSummary("The log as plain text after line offset N; X-Log-Offset says where to continue.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/plan", GetRunPlanEndpoint.Handle).WithName("GetDeploymentRunPlan").RequireAuthorization(Policies.Read)
            .WithSummary("The readable plan, sensitive values masked.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapGet("/events", RunEvents.Stream).WithName("StreamDeploymentRunEvents").RequireAuthorization(Policies.Read)
            .WithSummary("Server-Sent Events: status and log events, resumable with Last-Event-ID.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
