using Amnify.Api.Failures;
using Mediator;

namespace Amnify.Api.Features.Templates;

public static class TemplatesSetup
{
    public static WebApplicationBuilder AddTemplates(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TemplateSource>();
        return builder;
    }

    /// <summary>With <c>Templates:SyncOnStart</c> (make run sets it), the catalogue is filled before the first request.</summary>
    public static async Task SyncTemplatesOnStartAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Templates:SyncOnStart")) return;
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SyncTemplates());
        var log = app.Services.GetRequiredService<ILogger<TemplateSource>>();
        if (result.Failure is { } failure) log.LogWarning("Template sync on start failed: {Reason}", failure.Detail);
        else
            log.LogInformation("Templates synced: {Imported} imported, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected",
                result.Value.Imported.Length, result.Value.Updated.Length, result.Value.Unchanged.Length, result.Value.Rejected.Length);
    }
}
