using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests;

/// <summary>Every .Values path the templates read exists in values.yaml (see TemplateValuesChecker for limits).</summary>
public class TemplateValuesPathTests
{
    [Fact]
    public void Every_values_path_in_the_templates_exists()
    {
        var values = ChartFiles.Values;
        var problems = ChartFiles.TemplatePaths
            .SelectMany(p => TemplateValuesChecker.Check(Path.GetRelativePath(RepoPaths.Chart, p), File.ReadAllText(p), values))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_checker_finds_typos_in_each_kind_of_reference()
    {
        const string template = """
            replicas: {{ .Values.services.api.replica }}
            {{- range $name, $svc := .Values.services }}
            max: {{ $svc.autoscaling.maxReplica }}
            {{- range $c := $svc.consumers }}{{ $c.groups }}{{ end }}
            {{- end }}
            {{- with .Values.config }}{{ .approvalDelays }}{{ end }}
            {{ $.Values.kafkaConection.partitions }}
            fine: {{ .Values.kafkaConnection.partitions }} {{ .Release.Name }} {{ include "x" . }}
            """;
        var problems = TemplateValuesChecker.Check("t.yaml", template, ChartFiles.Values);
        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Contains("'replica'"));
        Assert.Contains(problems, p => p.Contains("'maxReplica'"));
        Assert.Contains(problems, p => p.Contains("'groups'"));
        Assert.Contains(problems, p => p.Contains("'approvalDelays'"));
        Assert.Contains(problems, p => p.Contains("'kafkaConection'"));
    }

    [Fact]
    public void A_key_missing_on_one_service_is_reported()
    {
        var values = ChartFiles.Values;
        ((Newtonsoft.Json.Linq.JObject)values["services"]!["payment"]!).Remove("extraEnv");
        var problems = TemplateValuesChecker.Check("deployments.yaml", ChartFiles.Template("deployments.yaml"), values);
        Assert.Contains(problems, p => p.Contains("'extraEnv'"));
    }
}
