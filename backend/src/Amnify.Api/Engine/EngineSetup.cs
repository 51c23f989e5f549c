using Amnify.Api.Terraform;
using Microsoft.Extensions.Options;

namespace Amnify.Api.Engine;

public static class EngineSetup
{
    /// <summary>Registers the engine for the process's role and answers that role, so Program can map what it serves.</summary>
    public static ProcessRole AddEngine(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Engine");
        // `--role worker` on the command line wins over Engine:Role.
        var role = builder.Configuration["role"] is { Length: > 0 } r ? r : section["Role"] ?? "all";
        if (role is not ("all" or "api" or "worker"))
            throw new InvalidOperationException($"Unknown role '{role}': use all, api or worker.");
        builder.Services.Configure<EngineOptions>(section);
        builder.Services.PostConfigure<EngineOptions>(o => o.Role = role);
        // Before anything else can read it: no child of this process, sandboxed or not, reads its environ or memory.
        Sandbox.MakeProcessNonDumpable();
        builder.Services.AddSingleton<Sandbox>();
        builder.Services.AddSingleton<StateRole>();
        builder.Services.AddSingleton<TerraformCli>();
        builder.Services.AddSingleton<RunTransitions>();
        builder.Services.AddSingleton<RunQueue>();
        builder.Services.AddSingleton<PipelineOrchestrator>();
        builder.Services.AddSingleton<PlanDirectories>();
        builder.Services.AddSingleton<RunExecutor>();
        builder.Services.AddSingleton<RunWorker>();
        if (role is "all" or "worker")
        {
            // Stopped after the worker (hosts stop in reverse order), so a plan finishing at shutdown is still cleaned up.
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PlanDirectories>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RunWorker>());
        }
        builder.Services.AddSingleton<RunEventHub>();
        // Only live views (SSE) wait on the hub, and only the API serves them.
        var processRole = new ProcessRole(role);
        if (processRole.ServesApi) builder.Services.AddHostedService(sp => sp.GetRequiredService<RunEventHub>());
        return processRole;
    }

    /// <summary>
    /// A worker only starts in the roles that run one, with its sandbox decided, Terraform's state role
    /// ready, and a Terraform CLI that answers inside the sandbox.
    /// </summary>
    public static async Task CheckEngineAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<EngineOptions>>().Value;
        if (!new ProcessRole(options.Role).RunsWorker) return;
        await app.Services.GetRequiredService<Sandbox>().Start();
        await app.Services.GetRequiredService<StateRole>().EnsureAsync(app.Lifetime.ApplicationStopping);
        var (ok, message) = await app.Services.GetRequiredService<TerraformCli>().Check();
        if (!ok) throw new InvalidOperationException(message);
        app.Logger.LogInformation("Engine: {Version} ({Role} role)", message, options.Role);
    }
}

/// <summary>What one process does: <c>api</c> serves HTTP (API + SPA), <c>worker</c> runs the engine, <c>all</c> both.</summary>
public sealed record ProcessRole(string Name)
{
    public bool RunsWorker => Name is "all" or "worker";
    public bool ServesApi => Name is "all" or "api";
}
