using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// Pipelines that chain: a template version lists its outputs; a pipeline step takes variables from earlier steps'
/// outputs (wiring kept per step, frozen into each run's steps); a pipeline run is an execute or a destroy (in reverse
/// order) and may resume an earlier run; a skipped step says why; a step can fail before its deployment run exists
/// (an input's output is missing); a deployment run records where each overriding value came from.
/// </summary>
[Migration(10, "Template outputs, pipeline step inputs, resume and destroy of pipeline runs")]
public sealed class M0010_PipelineInputsResumeDestroy : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        ALTER TABLE template_versions ADD COLUMN outputs jsonb NOT NULL DEFAULT '[]';

        CREATE TABLE pipeline_step_inputs (
            step_id      uuid NOT NULL REFERENCES pipeline_steps (id) ON DELETE CASCADE,
            variable     text NOT NULL,
            from_step_id uuid NOT NULL REFERENCES pipeline_steps (id) ON DELETE CASCADE,
            output       text NOT NULL,
            PRIMARY KEY (step_id, variable)
        );
        CREATE INDEX pipeline_step_inputs_from ON pipeline_step_inputs (from_step_id);

        ALTER TABLE pipeline_runs
            ADD COLUMN operation text NOT NULL DEFAULT 'execute' CHECK (operation IN ('execute', 'destroy')),
            ADD COLUMN resumed_from_run_id uuid REFERENCES pipeline_runs (id) ON DELETE SET NULL;

        ALTER TABLE pipeline_run_steps
            ADD COLUMN inputs jsonb NOT NULL DEFAULT '[]',
            ADD COLUMN skip_reason text CHECK (skip_reason IN ('noChanges', 'completedInEarlierRun', 'nothingToDestroy')),
            ADD COLUMN error text;

        ALTER TABLE deployment_runs ADD COLUMN variable_origins jsonb NOT NULL DEFAULT '[]';
        """);
}
