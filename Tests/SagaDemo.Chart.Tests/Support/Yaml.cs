using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SagaDemo.Chart.Tests.Support;

/// <summary>
/// YAML loading the way Helm sees it: merge keys (&lt;&lt;) resolved, then converted to JSON with
/// plain scalars typed as YAML 1.1 does (Helm's sigs.k8s.io/yaml reads yes/no/on/off as booleans).
/// </summary>
public static class Yaml
{
    public static JToken LoadFile(string path) => Load(File.ReadAllText(path));

    public static JToken Load(string text)
    {
        var documents = LoadAll(text);
        return documents.Count switch
        {
            0 => JValue.CreateNull(),
            1 => documents[0],
            _ => throw new InvalidDataException($"expected one YAML document, found {documents.Count}"),
        };
    }

    public static IReadOnlyList<JToken> LoadAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(new StringReader(text))));
        return stream.Documents.Select(d => ToJson(d.RootNode)).ToList();
    }

    static JToken ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JObject(map.Children.Select(kv =>
            new JProperty(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JArray(seq.Children.Select(ToJson)),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType}"),
    };

    static JToken Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return new JValue(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return JValue.CreateNull();
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON": return new JValue(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF": return new JValue(false);
        }
        if (System.Text.RegularExpressions.Regex.IsMatch(value, @"^[-+]?[0-9]+$") && long.TryParse(value, out var l))
            return new JValue(l);
        if (System.Text.RegularExpressions.Regex.IsMatch(value, @"^[-+]?([0-9]*\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?$")
            && double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var d))
            return new JValue(d);
        return new JValue(value);
    }
}
