using System.Text.RegularExpressions;
using Amnify.Api.Engine;

namespace Amnify.UnitTests.Engine;

/// <summary>
/// Each transition's SQL is written out by hand; these hold it to its row of the state table: the statuses its
/// <c>WHERE status IN (…)</c> accepts, the status it sets, and parameters that its values record really has.
/// </summary>
public sealed partial class TransitionSqlTests
{
    [GeneratedRegex(@"\bWHERE\b.*?\bstatus IN \(([^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex ExpectedFrom();

    [GeneratedRegex(@"\bSET\s+status = '(\w+)'")]
    private static partial Regex Target();

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex Parameter();

    private static string[] From(string sql) =>
        ExpectedFrom().Match(sql) is { Success: true } m
            ? m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).Select(c => c.Trim('\'')).Order().ToArray()
            : throw new InvalidOperationException($"no WHERE status IN (…) in:\n{sql}");

    private static string? To(string sql) => Target().Match(sql) is { Success: true } m ? m.Groups[1].Value : null;

    private static string[] Codes<T>(IEnumerable<T> statuses) where T : struct, Enum => statuses.Select(s => s.Code()).Order().ToArray();

    public static TheoryData<RunTrigger> RunTriggers => new(Enum.GetValues<RunTrigger>());

    public static TheoryData<PipelineRunTrigger> PipelineRunTriggers => new(Enum.GetValues<PipelineRunTrigger>());

    public static TheoryData<PipelineStepTrigger> PipelineStepTriggers => new(Enum.GetValues<PipelineStepTrigger>());

    [Theory, MemberData(nameof(RunTriggers))]
    public void A_deployment_run_transition_updates_exactly_the_states_of_its_row(RunTrigger trigger)
    {
        var (from, to) = RunStateMachine.Table[trigger];
        var sql = RunTransitions.Statements[trigger].Sql;
        From(sql).Should().Equal(Codes(from));
        To(sql).Should().Be(to?.Code());
    }

    [Theory, MemberData(nameof(PipelineRunTriggers))]
    public void A_pipeline_run_transition_updates_exactly_the_states_of_its_row(PipelineRunTrigger trigger)
    {
        var (from, to) = PipelineStateMachine.Runs[trigger];
        var sql = PipelineTransitions.RunStatements[trigger].Sql;
        From(sql).Should().Equal(Codes(from));
        To(sql).Should().Be(to.Code());
    }

    [Theory, MemberData(nameof(PipelineStepTriggers))]
    public void A_pipeline_step_transition_updates_exactly_the_states_of_its_row(PipelineStepTrigger trigger)
    {
        var (from, to) = PipelineStateMachine.Steps[trigger];
        var sql = PipelineTransitions.StepStatements[trigger].Sql;
        From(sql).Should().Equal(Codes(from));
        To(sql).Should().Be(to.Code());
    }

    [Fact]
    public void Every_parameter_of_a_transition_is_a_property_of_its_values_record()
    {
        var statements = RunTransitions.Statements.Values
            .Concat(PipelineTransitions.RunStatements.Values)
            .Concat(PipelineTransitions.StepStatements.Values);
        foreach (var (sql, values) in statements)
        {
            var properties = values.GetProperties().Select(p => p.Name).ToArray();
            Parameter().Matches(sql).Select(m => m.Groups[1].Value).Distinct()
                .Should().BeSubsetOf(properties, $"{values.Name} feeds:\n{sql}");
        }
    }

    [Fact]
    public void A_transition_made_after_a_claim_holds_only_while_its_worker_holds_the_run()
    {
        RunTrigger[] byTheWorker =
        [
            RunTrigger.StartPlanning, RunTrigger.PlanShowsNoChanges, RunTrigger.PlanShowsChanges,
            RunTrigger.FinishApply, RunTrigger.FinishDestroy,
        ];
        foreach (var trigger in byTheWorker)
            RunTransitions.Statements[trigger].Sql.Should().Contain("AND worker_id = @Worker", $"{trigger} is made by the worker holding the run");
        foreach (var trigger in new[] { RunTrigger.Fail, RunTrigger.Requeue })
            RunTransitions.Statements[trigger].Sql.Should().Contain("worker_id = @OwnedBy", $"{trigger} may come from the worker holding the run");
    }

    [Fact]
    public void The_apply_gates_keep_the_four_eyes_rule_in_their_where()
    {
        foreach (var trigger in new[] { RunTrigger.ApproveApply, RunTrigger.ApproveDestroy })
            RunTransitions.Statements[trigger].Sql.Should().Contain(ApprovalPolicy.ApplyApproverIsDistinct.Trim());
    }

    [Fact]
    public void Every_trigger_has_its_statement()
    {
        RunTransitions.Statements.Keys.Should().BeEquivalentTo(Enum.GetValues<RunTrigger>());
        PipelineTransitions.RunStatements.Keys.Should().BeEquivalentTo(Enum.GetValues<PipelineRunTrigger>());
        PipelineTransitions.StepStatements.Keys.Should().BeEquivalentTo(Enum.GetValues<PipelineStepTrigger>());
    }
}
