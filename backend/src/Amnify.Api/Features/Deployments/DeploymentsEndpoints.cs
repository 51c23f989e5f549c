using Amnify.Api.Auth;
using Amnify.Api.Http;

namespace Amnify.Api.Features.Deployments;

public static class DeploymentsEndpoints
{
    public static RouteGroupBuilder MapDeployments(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deployments").WithTags("Deployments");
        group.MapGet("/", ListDeploymentsEndpoint.Handle).WithName("ListDeployments").RequireAuthorization(Policies.Read)
            .WithSummary("Deployments with their status, filtered by provider, project, template and name.").Fails<ListDeployments>();
        group.MapPost("/", CreateDeploymentEndpoint.Handle).WithName("CreateDeployment").RequireAuthorization(Policies.Operate)
            .WithSummary("Creates a deployment; its variables are checked against the template.").Fails<CreateDeployment>();
        group.MapGet("/{id:guid}", GetDeploymentEndpoint.Handle).WithName("GetDeployment").RequireAuthorization(Policies.Read)
            .WithSummary("One deployment (sensitive values are never returned).").Fails<GetDeployment>();
        group.MapPatch("/{id:guid}", UpdateDeploymentEndpoint.Handle).WithName("UpdateDeployment").RequireAuthorization(Policies.Operate)
            .WithSummary("Changes fields; in variables, a value sets, null clears, and others (sensitive ones too) are kept.").Fails<UpdateDeployment>();
        group.MapDelete("/{id:guid}", DeleteDeploymentEndpoint.Handle).WithName("DeleteDeployment").RequireAuthorization(Policies.Operate)
            .WithSummary("Deletes a deployment with no infrastructure, no active run and in no pipeline.").Fails<DeleteDeployment>();
        return api;
    }
}
