using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// The W3C <c>traceparent</c> of the request (or pipeline step) that queued a run, so the worker that later claims it
/// continues that trace: its init, plan and apply spans join the trigger's. Null when nothing was being traced.
/// </summary>
[Migration(16, "Keep the trace context of the trigger on each deployment run")]
public sealed class M0016_RunTraceContext : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        ALTER TABLE deployment_runs ADD COLUMN trace_parent text;
        """);
}
