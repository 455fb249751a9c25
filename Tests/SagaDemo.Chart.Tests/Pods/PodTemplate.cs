using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Rendering;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>
/// A rendered pod template (of a Deployment or a Job) resolved the way the kubelet resolves it: the container's
/// environment from the image, envFrom and env (ConfigMap and Secret keys, optional or not), its command, user,
/// probes and volumes.
/// </summary>
public sealed class PodTemplate
{
    PodTemplate(string name, JObject container, JObject podSpec, IReadOnlyList<JObject> objects, ContainerImage image)
    {
        Name = name;
        Container = container;
        var environment = new Dictionary<string, string>(image.Environment);
        foreach (var source in container["envFrom"] ?? new JArray())
        {
            var (kind, reference) = source["configMapRef"] is { } c ? ("ConfigMap", c) : ("Secret", source["secretRef"]!);
            var entries = Find(objects, kind, (string)reference["name"]!, (bool?)reference["optional"] ?? false);
            foreach (var (key, value) in entries ?? new Dictionary<string, string>())
                environment[key] = value;
        }
        foreach (var env in container["env"] ?? new JArray())
        {
            var name_ = (string)env["name"]!;
            if (env["value"] is { } value)
            {
                environment[name_] = (string)value!;
                continue;
            }
            var (kind, reference) = env["valueFrom"]!["secretKeyRef"] is { } s ? ("Secret", s) : ("ConfigMap", env["valueFrom"]!["configMapKeyRef"]!);
            var optional = (bool?)reference["optional"] ?? false;
            var entries = Find(objects, kind, (string)reference["name"]!, optional);
            if (entries is not null && entries.TryGetValue((string)reference["key"]!, out var found))
                environment[name_] = found;
            else if (!optional)
                throw new InvalidOperationException($"{name}: {kind} {reference["name"]} has no key {reference["key"]} (CreateContainerConfigError)");
        }
        // The kubelet names the container's host after the pod.
        environment["HOSTNAME"] = name;
        Environment = environment;

        Command = [.. (container["command"]?.Values<string>().Select(v => v!) ?? image.Entrypoint), .. container["args"]?.Values<string>().Select(v => v!) ?? Enumerable.Empty<string>()];
        var security = (JObject?)container["securityContext"] ?? new JObject();
        var podSecurity = (JObject?)podSpec["securityContext"] ?? new JObject();
        User = (int?)security["runAsUser"] ?? (int?)podSecurity["runAsUser"] ?? image.User;
        Group = (int?)security["runAsGroup"] ?? (int?)podSecurity["runAsGroup"] ?? User;
        ReadOnlyRootFilesystem = (bool?)security["readOnlyRootFilesystem"] ?? false;
        WorkingDirectory = (string?)container["workingDir"] ?? image.WorkingDirectory;
        var volumes = (podSpec["volumes"] ?? new JArray()).ToDictionary(v => (string)v["name"]!, v => (JObject)v);
        Mounts = (container["volumeMounts"] ?? new JArray()).Select(m => (Path: (string)m["mountPath"]!, Volume: volumes[(string)m["name"]!])).ToList();
        Objects = objects;
    }

    public string Name { get; }
    public JObject Container { get; }
    public IReadOnlyDictionary<string, string> Environment { get; }
    public IReadOnlyList<string> Command { get; }
    public int User { get; }
    public int Group { get; }
    public bool ReadOnlyRootFilesystem { get; }
    public string WorkingDirectory { get; }
    public IReadOnlyList<(string Path, JObject Volume)> Mounts { get; }
    IReadOnlyList<JObject> Objects { get; }

    public static PodTemplate Of(JObject workload, string podName, IReadOnlyList<JObject> objects, ContainerImage image) =>
        new(podName, workload.Container(), (JObject)workload["spec"]!["template"]!["spec"]!, objects, image);

    /// <summary>The sandbox's mount arguments; Secret volumes are written as files under <paramref name="scratch"/>.</summary>
    public IReadOnlyList<string> MountArguments(string scratch)
    {
        var arguments = new List<string>();
        foreach (var (path, volume) in Mounts)
        {
            if (volume["emptyDir"] is { } emptyDir)
                arguments.Add($"tmpfs:{path}:{(string?)emptyDir["sizeLimit"] ?? "64Mi"}".Replace("Mi", "m").Replace("Gi", "g"));
            else if (volume["secret"] is { } secret)
            {
                var directory = Directory.CreateDirectory(Path.Combine(scratch, $"{Name}-{volume["name"]}")).FullName;
                var entries = Find(Objects, "Secret", (string)secret["secretName"]!, (bool?)secret["optional"] ?? false) ?? new Dictionary<string, string>();
                foreach (var item in secret["items"] ?? new JArray())
                    if (entries.TryGetValue((string)item["key"]!, out var content))
                        File.WriteAllText(Path.Combine(directory, (string)item["path"]!), content);
                arguments.Add($"ro:{path}:{directory}");
            }
            else
                throw new NotSupportedException($"{Name}: volume {volume["name"]} is neither emptyDir nor secret");
        }
        return arguments;
    }

    static IReadOnlyDictionary<string, string>? Find(IReadOnlyList<JObject> objects, string kind, string name, bool optional)
    {
        var found = objects.OfKind(kind).FirstOrDefault(o => o.Name() == name);
        if (found is null && !optional)
            throw new InvalidOperationException($"{kind} {name} is not rendered and not optional (the pod would not start)");
        return found?.Entries();
    }
}
