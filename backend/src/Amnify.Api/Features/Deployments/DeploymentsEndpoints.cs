using Amnify.Api.Auth;

namespace Amnify.Api.Features.Deployments;

public static class DeploymentsEndpoints
{
    public static RouteGroupBuilder MapDeployments(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deployments").WithTags("Deployments");
        group.MapGet("/", ListDeploymentsEndpoint.Handle).WithName("ListDeployments").RequireAuthorization(Policies.Read)
            .WithSummary("Deployments with their status, filtered by provider, project, template and name.").ProducesValidationProblem();
        group.MapPost("/", CreateDeploymentEndpoint.Handle).WithName("CreateDeployment").RequireAuthorization(Policies.Operate)
            .WithSummary("Creates a deployment; its variables are checked against the template.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}", GetDeploymentEndpoint.Handle).WithName("GetDeployment").RequireAuthorization(Policies.Read)
            .WithSummary("One deployment (sensitive values are never returned).").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:guid}", UpdateDeploymentEndpoint.Handle).WithName("UpdateDeployment").RequireAuthorization(Policies.Operate)
            .WithSummary("Changes fields; in variables, a value sets, null clears, and others (sensitive ones too) are kept.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", DeleteDeploymentEndpoint.Handle).WithName("DeleteDeployment").RequireAuthorization(Policies.Operate)
            .WithSummary("Deletes a deployment with no infrastructure, no active run and in no pipeline.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }
}
