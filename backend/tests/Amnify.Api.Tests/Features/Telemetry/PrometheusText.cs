using System.Globalization;
using System.Text.RegularExpressions;

namespace Amnify.Api.Tests.Features.Telemetry;

/// <summary>One sample of a Prometheus text scrape: <c>name{label="value",…} number</c>.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A scrape as Prometheus reads it: samples by name, filtered by any subset of their labels.</summary>
public sealed partial class PrometheusText(string text)
{
    public string Text { get; } = text;

    public IReadOnlyList<Sample> Samples { get; } = text.Split('\n')
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(Parse)
        .ToList();

    /// <summary>Samples of <paramref name="name"/> whose labels include every one given.</summary>
    public IReadOnlyList<Sample> Of(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).ToList();

    /// <summary>The sum over the matching samples (a series split by labels the test does not name); fails when there is none.</summary>
    public double Sum(string name, params (string Label, string Value)[] labels)
    {
        var found = Of(name, labels);
        found.Should().NotBeEmpty($"the scrape has {name}{{{string.Join(",", labels.Select(l => $"{l.Label}=\"{l.Value}\""))}}}; it has:\n{Names()}");
        return found.Sum(s => s.Value);
    }

    public string Names() => string.Join("\n", Samples.Select(s => s.Name).Distinct().Order());

    private static Sample Parse(string line)
    {
        var match = Line().Match(line);
        if (!match.Success) throw new Xunit.Sdk.XunitException($"Not a Prometheus sample line: {line}");
        var labels = Label().Matches(match.Groups["labels"].Value)
            .ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value.Replace("\\\"", "\"").Replace("\\\\", "\\"));
        var value = match.Groups["value"].Value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var v => double.Parse(v, CultureInfo.InvariantCulture),
        };
        return new Sample(match.Groups["name"].Value, labels, value);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex Line();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex Label();
}
