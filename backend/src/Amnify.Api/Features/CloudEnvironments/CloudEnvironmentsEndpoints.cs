using Amnify.Api.Auth;
using Amnify.Api.Http;

namespace Amnify.Api.Features.CloudEnvironments;

public static class CloudEnvironmentsEndpoints
{
    public static RouteGroupBuilder MapCloudEnvironments(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cloud-environments").WithTags("CloudEnvironments");
        group.MapGet("/", ListCloudEnvironmentsEndpoint.Handle).WithName("ListCloudEnvironments").RequireAuthorization(Policies.Read)
            .WithSummary("Cloud environments, filtered by provider and name, a page at a time.").Fails<ListCloudEnvironments>();
        group.MapPost("/", CreateCloudEnvironmentEndpoint.Handle).WithName("CreateCloudEnvironment").RequireAuthorization(Policies.Admin)
            .WithSummary("Creates a cloud environment; its credentials are encrypted and never returned.").Fails<CreateCloudEnvironment>();
        group.MapGet("/{id:guid}", GetCloudEnvironmentEndpoint.Handle).WithName("GetCloudEnvironment").RequireAuthorization(Policies.Read)
            .WithSummary("One cloud environment (credential names only).").Fails<GetCloudEnvironment>();
        group.MapPatch("/{id:guid}", UpdateCloudEnvironmentEndpoint.Handle).WithName("UpdateCloudEnvironment").RequireAuthorization(Policies.Admin)
            .WithSummary("Changes fields; in credentials, a value sets a key, null removes it, others are kept.").Fails<UpdateCloudEnvironment>();
        group.MapDelete("/{id:guid}", DeleteCloudEnvironmentEndpoint.Handle).WithName("DeleteCloudEnvironment").RequireAuthorization(Policies.Admin)
            .WithSummary("Deletes a cloud environment no deployment uses.").Fails<DeleteCloudEnvironment>();
        return api;
    }
}
