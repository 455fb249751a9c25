{{/* Chart name, truncated to the 63 characters DNS labels allow. */}}
{{- define "saga-demo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name of every object. */}}
{{- define "saga-demo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "saga-demo.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "saga-demo.labels" -}}
helm.sh/chart: {{ include "saga-demo.chart" . }}
{{ include "saga-demo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: saga-demo
{{- end }}

{{- define "saga-demo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "saga-demo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The release's base name with a suffix, within the 63 characters of a DNS label: the base name is cut, never the
suffix, so that two suffixes (api, approval) never collapse into one name. Call with (dict "root" $ "suffix" "x").
*/}}
{{- define "saga-demo.suffixedName" -}}
{{- $base := include "saga-demo.fullname" .root | trunc (int (sub 62 (len .suffix))) | trimSuffix "-" }}
{{- printf "%s-%s" $base .suffix }}
{{- end }}

{{/* Name of one service's objects; call with (dict "root" $ "name" $svcName). */}}
{{- define "saga-demo.serviceName" -}}
{{- include "saga-demo.suffixedName" (dict "root" .root "suffix" .name) }}
{{- end }}

{{/*
Name of a Bitnami sub-chart's objects (its common.names.fullname): fullnameOverride, else the release name when it
already contains the chart's name, else <release>-<chart>. Call with (dict "root" $ "chart" "kafka" "values" $.Values.kafka).
*/}}
{{- define "saga-demo.subchartFullname" -}}
{{- if .values.fullnameOverride }}
{{- .values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .chart .values.nameOverride }}
{{- if contains $name .root.Release.Name }}
{{- .root.Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .root.Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Labels that let a pod through the bundled Kafka's and PostgreSQL's own NetworkPolicies (kafka.networkPolicy,
postgresql.primary.networkPolicy): only pods that use them carry them. Call with (dict "kafka" bool "database" bool).
*/}}
{{- define "saga-demo.clientLabels" -}}
{{- if .kafka }}
saga-demo/kafka-client: "true"
{{- end }}
{{- if .database }}
saga-demo/database-client: "true"
{{- end }}
{{- end }}

{{/* Selector labels of one service's pods; call with (dict "root" $ "name" $svcName). */}}
{{- define "saga-demo.serviceSelectorLabels" -}}
{{ include "saga-demo.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "saga-demo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "saga-demo.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "saga-demo.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Kafka bootstrap servers: explicit kafkaConnection.bootstrapServers, else the bundled broker.
Without either each pod would start its own embedded mock cluster and the services would never
meet, so that is a hard error rather than a silent default.
*/}}
{{- define "saga-demo.kafkaBootstrapServers" -}}
{{- if .Values.kafkaConnection.bootstrapServers }}
{{- .Values.kafkaConnection.bootstrapServers }}
{{- else if .Values.kafka.enabled }}
{{- printf "%s:9092" (include "saga-demo.subchartFullname" (dict "root" . "chart" "kafka" "values" .Values.kafka)) }}
{{- else }}
{{- fail "kafkaConnection.bootstrapServers is required when kafka.enabled is false" }}
{{- end }}
{{- end }}

{{- define "saga-demo.secretName" -}}
{{- default (include "saga-demo.suffixedName" (dict "root" . "suffix" "credentials")) .Values.secrets.existingSecret }}
{{- end }}

{{- define "saga-demo.usesSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafkaConnection.securityProtocol }}true{{ end }}
{{- end }}

{{- define "saga-demo.usesTls" -}}
{{- if has .Values.kafkaConnection.securityProtocol (list "SSL" "SASL_SSL") }}true{{ end }}
{{- end }}

{{/* Whether the services verify the brokers against a private CA bundle from the Secret. */}}
{{- define "saga-demo.usesCaBundle" -}}
{{- if and (include "saga-demo.usesTls" .) (or .Values.kafkaConnection.tls.caCert (and .Values.secrets.existingSecret .Values.kafkaConnection.tls.caInExistingSecret)) }}true{{ end }}
{{- end }}

{{/*
Whether the services verify the PostgreSQL server against a private CA bundle from the Secret: the chart's
Secret (postgresTls.caCert) or secrets.existingSecret (postgresTls.caInExistingSecret). The volume is not
optional: a CA that was asked for and is missing stops the pod instead of leaving TLS unverified.
*/}}
{{- define "saga-demo.usesPostgresCa" -}}
{{- if .Values.secrets.existingSecret }}
{{- if .Values.postgresTls.caCert }}
{{- fail "postgresTls.caCert cannot go into secrets.existingSecret: put postgres-ca.crt there and set postgresTls.caInExistingSecret" }}
{{- end }}
{{- if .Values.postgresTls.caInExistingSecret }}true{{ end }}
{{- else if .Values.postgresTls.caCert }}true{{ end }}
{{- end }}

{{/* Whether the HTTP API requires API keys. */}}
{{- define "saga-demo.usesApiKeys" -}}
{{- if eq .Values.auth.mode "ApiKey" }}true{{ end }}
{{- end }}

{{/*
The Secret holding the API keys as environment variables (Auth__ApiKeys__<n>__ClientId/KeyHash/Key):
auth.existingSecret, else the one api-keys-secret.yaml renders from auth.apiKeys.
*/}}
{{- define "saga-demo.apiKeysSecretName" -}}
{{- default (include "saga-demo.suffixedName" (dict "root" . "suffix" "api-keys")) .Values.auth.existingSecret }}
{{- end }}

{{/* The Secret holding HELM_TEST_API_KEY for the helm test pod: auth.testApiKeyExistingSecret, else the chart's. */}}
{{- define "saga-demo.helmTestSecretName" -}}
{{- default (include "saga-demo.suffixedName" (dict "root" . "suffix" "helm-test")) .Values.auth.testApiKeyExistingSecret }}
{{- end }}

{{/* Every topic the services use (each is read by some consumer group), sorted, as a JSON array. */}}
{{- define "saga-demo.topics" -}}
{{- $topics := list }}
{{- range $name, $svc := .Values.services }}
{{- range $svc.consumers }}{{ $topics = concat $topics .topics }}{{ end }}
{{- $topics = concat $topics ($svc.produces | default list) }}
{{- end }}
{{- $topics | uniq | sortAlpha | toJson }}
{{- end }}

{{/*
The Kafka ACLs, one line per kafka-acls call: principal:<user> operation:<op> topic:<t> group:<g> ... (the cross
product of the line's principals, operations and resources). Each service may: read its topics in its consumer groups;
write the topics it produces and the dead-letter topics of those it reads; describe and create every topic of this
chart (at start every service checks that all topics exist and creates missing ones). The monitor principal may only
describe topics and groups (lag for kafka_exporter and KEDA).
*/}}
{{- define "saga-demo.kafkaAclLines" -}}
{{- $usernames := .Values.kafkaConnection.sasl.usernames }}
{{- $all := list }}
{{- range $topic := include "saga-demo.topics" . | fromJsonArray }}{{ $all = append $all $topic }}{{ $all = append $all (printf "%s.dead-letter" $topic) }}{{ end }}
{{- $groups := list }}
{{- $principals := list }}
{{- range $name, $svc := .Values.services }}
{{- $principal := printf "principal:%s" (index $usernames $name) }}
{{- $principals = append $principals $principal }}
{{- $read := list }}
{{- $write := list }}
{{- range $svc.consumers }}
{{- $groups = append $groups .group }}
{{- $read = append $read (printf "group:%s" .group) }}
{{- range .topics }}{{ $read = append $read (printf "topic:%s" .) }}{{ $write = append $write (printf "topic:%s.dead-letter" .) }}{{ end }}
{{- end }}
{{- range ($svc.produces | default list) }}{{ $write = append $write (printf "topic:%s" .) }}{{ end }}
{{- if eq $name "api" }}
{{- /* The operations console (README "Console") lists dead letters with partition reads of its own (no group). */}}
{{- if $.Values.console.readDeadLetters }}{{ range $all }}{{ if hasSuffix ".dead-letter" . }}{{ $read = append $read (printf "topic:%s" .) }}{{ end }}{{ end }}{{ end }}
{{- if $.Values.console.replayDeadLetters }}{{ range $all }}{{ if not (hasSuffix ".dead-letter" .) }}{{ $write = append $write (printf "topic:%s" .) }}{{ end }}{{ end }}{{ end }}
{{- end }}
{{- if $read }}
{{ $principal }} operation:Read {{ $read | uniq | join " " }}
{{- end }}
{{- if $write }}
{{ $principal }} operation:Write {{ $write | uniq | sortAlpha | join " " }}
{{- end }}
{{- end }}
{{ join " " $principals }} operation:Describe operation:Create topic:{{ join " topic:" $all }}
principal:{{ $usernames.monitor }} operation:Describe topic:{{ join " topic:" $all }} group:{{ $groups | uniq | sortAlpha | join " group:" }}
{{- end }}

{{/* KEDA's name for the SASL mechanism (plaintext, scram_sha256, scram_sha512). */}}
{{- define "saga-demo.kedaSasl" -}}
{{- $m := .Values.kafkaConnection.sasl.mechanism }}
{{- if eq $m "PLAIN" }}plaintext{{ else if eq $m "SCRAM-SHA-256" }}scram_sha256{{ else }}scram_sha512{{ end }}
{{- end }}

{{/* kafka_exporter's name for the SASL mechanism (plain, scram-sha256, scram-sha512). */}}
{{- define "saga-demo.exporterSasl" -}}
{{- $m := .Values.kafkaConnection.sasl.mechanism }}
{{- if eq $m "PLAIN" }}plain{{ else if eq $m "SCRAM-SHA-256" }}scram-sha256{{ else }}scram-sha512{{ end }}
{{- end }}

{{/*
Whether the services keep their state in PostgreSQL: a connection string in values, the bundled PostgreSQL, or an
existing Secret (which must then hold postgres-connection-string). Otherwise every replica would hold state of its
own, so each service runs exactly one replica and nothing scales it.
*/}}
{{- define "saga-demo.durableState" -}}
{{- if or .Values.secrets.postgresConnectionString .Values.postgresql.enabled .Values.secrets.existingSecret }}true{{ end }}
{{- end }}

{{/* Replicas of a service's Deployment when no autoscaler owns them; call with (dict "root" $ "svc" $svc). */}}
{{- define "saga-demo.replicas" -}}
{{- if include "saga-demo.durableState" .root }}{{ .svc.replicas | int }}{{ else }}{{ min 1 (.svc.replicas | int) }}{{ end }}
{{- end }}

{{/* Whether a service is scaled by an autoscaler (then its Deployment leaves replicas alone). */}}
{{- define "saga-demo.autoscaled" -}}
{{- if and (ne .root.Values.autoscaling.mode "none") .svc.autoscaling.enabled .svc.consumers (include "saga-demo.durableState" .root) }}true{{ end }}
{{- end }}

{{/*
Prometheus scrape annotations on pods, unless a ServiceMonitor scrapes the same pods: both at once would scrape
every pod twice and double every sum, kafka_consumergroup_lag included.
*/}}
{{- define "saga-demo.scrapeAnnotations" -}}
{{- if and .Values.metrics.scrapeAnnotations (not .Values.metrics.serviceMonitor.enabled) }}true{{ end }}
{{- end }}

{{/* The migrations (migrate command) run in the chart's Job, so starting pods wait for them instead of migrating. */}}
{{- define "saga-demo.migrationJob" -}}
{{- if and .Values.migrations.enabled (include "saga-demo.durableState" .) }}true{{ end }}
{{- end }}

{{/*
Rules values.schema.json cannot express (it compares no two values); rendered into the ConfigMap so that template,
install and upgrade stop on them (`helm lint` only logs a fail).
*/}}
{{- define "saga-demo.validate" -}}
{{- if eq .Values.auth.mode "Jwt" }}
{{- with .Values.auth.jwt }}
{{- if not .audience }}
{{- fail "auth.mode=Jwt needs auth.jwt.audience: the services accept only tokens meant for them" }}
{{- end }}
{{- if and (not .authority) (or (not .issuer) (not .signingKeys)) }}
{{- fail "auth.mode=Jwt needs auth.jwt.authority (an OpenID Connect issuer), or auth.jwt.issuer with auth.jwt.signingKeys" }}
{{- end }}
{{- end }}
{{- end }}
{{- if and (eq .Values.auth.mode "None") (not .Values.auth.allowAnonymous) }}
{{- fail "auth.mode is None: every caller would be the same anonymous client, able to read and create every operation. Set auth.mode=ApiKey (with auth.apiKeys or auth.existingSecret) or auth.mode=Jwt (with auth.jwt), or auth.allowAnonymous=true to run without access control on purpose." }}
{{- end }}
{{- range $name, $svc := .Values.services }}
{{- if and $svc.autoscaling.enabled (gt ($svc.autoscaling.minReplicas | int) ($svc.autoscaling.maxReplicas | int)) }}
{{- fail (printf "services.%s.autoscaling: minReplicas %d is above maxReplicas %d" $name ($svc.autoscaling.minReplicas | int) ($svc.autoscaling.maxReplicas | int)) }}
{{- end }}
{{- end }}
{{- if eq .Values.autoscaling.mode "hpa" }}
{{- if not .Values.kafkaExporter.enabled }}
{{- fail "autoscaling.mode=hpa scales on kafka_consumergroup_lag from the chart's kafka_exporter: set kafkaExporter.enabled" }}
{{- end }}
{{- if not (or .Values.metrics.scrapeAnnotations .Values.metrics.serviceMonitor.enabled) }}
{{- fail "autoscaling.mode=hpa needs Prometheus to scrape kafka_exporter: set metrics.scrapeAnnotations or metrics.serviceMonitor.enabled" }}
{{- end }}
{{- end }}
{{- if and .Values.networkPolicy.enabled (not .Values.networkPolicy.apiFrom) (or .Values.ingress.enabled (ne .Values.apiService.type "ClusterIP")) }}
{{- fail "networkPolicy.apiFrom is empty, so nothing outside the release may call the API, yet ingress.enabled or apiService.type exposes it: name the ingress controller's pods or the clients' addresses there (e.g. [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ingress-nginx } } }]), or set networkPolicy.enabled=false" }}
{{- end }}
{{- if .Values.kafka.enabled }}
{{- if ne .Values.kafkaConnection.securityProtocol .Values.kafka.listeners.client.protocol }}
{{- fail (printf "kafkaConnection.securityProtocol (%s) must be the bundled Kafka's client listener protocol, kafka.listeners.client.protocol (%s)" .Values.kafkaConnection.securityProtocol .Values.kafka.listeners.client.protocol) }}
{{- end }}
{{- if include "saga-demo.usesSasl" . }}
{{- if .Values.secrets.existingSecret }}
{{- fail "secrets.existingSecret holds credentials of an external Kafka; the bundled Kafka's are generated by the chart: set kafka.enabled=false with an external Kafka" }}
{{- end }}
{{- $users := .Values.kafka.sasl.client.users }}
{{- if ne (rest $users | sortAlpha | join ",") (values .Values.kafkaConnection.sasl.usernames | sortAlpha | join ",") }}
{{- fail (printf "kafka.sasl.client.users must be the admin followed by every kafkaConnection.sasl.usernames entry (%s); it is %s" (values .Values.kafkaConnection.sasl.usernames | sortAlpha | join ", ") (join ", " $users)) }}
{{- end }}
{{- if not .Values.kafka.sasl.existingSecret }}
{{- fail "kafka.sasl.existingSecret must stay as the chart sets it: the bundled Kafka reads its generated passwords from there" }}
{{- end }}
{{- end }}
{{- else if and (include "saga-demo.usesSasl" .) (not .Values.secrets.existingSecret) }}
{{- $missing := list }}
{{- range $name := include "saga-demo.kafkaPrincipals" . | fromJsonArray }}
{{- if not (index ($.Values.kafkaConnection.sasl.passwords | default dict) $name) }}{{ $missing = append $missing $name }}{{ end }}
{{- end }}
{{- if $missing }}
{{- fail (printf "Kafka over SASL needs a password per principal: put kafka-sasl-password-<name> into secrets.existingSecret, or set kafkaConnection.sasl.passwords for %s" (join ", " $missing)) }}
{{- end }}
{{- end }}
{{- if .Values.postgresql.enabled }}
{{- if .Values.secrets.existingSecret }}
{{- fail "secrets.existingSecret holds credentials of an external PostgreSQL; the bundled PostgreSQL's are generated by the chart: set postgresql.enabled=false with an external PostgreSQL" }}
{{- end }}
{{- if not .Values.postgresql.auth.existingSecret }}
{{- fail "postgresql.auth.existingSecret must stay as the chart sets it: the bundled PostgreSQL reads its generated passwords from there" }}
{{- end }}
{{- else if and .Values.secrets.postgresConnectionString (include "saga-demo.migrationJob" .) }}
{{- $missing := list }}
{{- range $role := include "saga-demo.databaseRoles" . | fromJsonArray }}
{{- if not (index $.Values.secrets.postgresServiceConnectionStrings $role) }}{{ $missing = append $missing $role }}{{ end }}
{{- end }}
{{- if $missing }}
{{- fail (printf "Each stateful service connects with a login of its own: set secrets.postgresServiceConnectionStrings for %s (or use secrets.existingSecret)" (join ", " $missing)) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Name of the Secret the bundled Bitnami charts read their passwords from (kafka.sasl.existingSecret,
postgresql.auth.existingSecret). Built from .Release.Name alone: the sub-charts render it in their own context.
*/}}
{{- define "saga-demo.generatedSecretName" -}}
{{- printf "%s-generated-credentials" (.Release.Name | trunc 41 | trimSuffix "-") }}
{{- end }}

{{/*
The seed every generated password derives from: secrets.passwordSeed, else the one the release's bundled Secret
already holds (lookup: install and upgrade see the cluster; `helm template` does not), else a new random one. Kept
in .Values for the rest of this render, so every template derives from the same seed.
*/}}
{{- define "saga-demo.passwordSeed" -}}
{{- if not (hasKey .Values.secrets "generatedSeed") }}
{{- $seed := .Values.secrets.passwordSeed }}
{{- if not $seed }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "saga-demo.generatedSecretName" .) }}
{{- if and $existing $existing.data (hasKey $existing.data "password-seed") }}
{{- $seed = index $existing.data "password-seed" | b64dec }}
{{- else }}
{{- $seed = randAlphaNum 48 }}
{{- end }}
{{- end }}
{{- $_ := set .Values.secrets "generatedSeed" $seed }}
{{- end }}
{{- .Values.secrets.generatedSeed }}
{{- end }}

{{/* Whether the chart generates credentials: the bundled Kafka's or PostgreSQL's, or signing keys no Secret supplies. */}}
{{- define "saga-demo.generatesCredentials" -}}
{{- if or .Values.kafka.enabled .Values.postgresql.enabled (and (include "saga-demo.signsRecords" .) (not .Values.secrets.existingSecret)) }}true{{ end }}
{{- end }}

{{/* A generated password: 40 hex digits of SHA-256 over the seed and the password's name. Call with (dict "root" $ "name" "x"). */}}
{{- define "saga-demo.derivedPassword" -}}
{{- printf "%s/%s" (include "saga-demo.passwordSeed" .root) .name | sha256sum | trunc 40 }}
{{- end }}

{{/* The Kafka principals' names (every role, and monitor) as a JSON array. */}}
{{- define "saga-demo.kafkaPrincipals" -}}
{{- append (keys .Values.services | sortAlpha) "monitor" | toJson }}
{{- end }}

{{/* Roles that keep state in PostgreSQL (services.<role>.database), as a JSON array. */}}
{{- define "saga-demo.databaseRoles" -}}
{{- $roles := list }}
{{- range $name, $svc := .Values.services }}{{ if $svc.database }}{{ $roles = append $roles $name }}{{ end }}{{ end }}
{{- $roles | toJson }}
{{- end }}

{{/* Whether records are signed: the app's Kafka:Signing:Mode=Required. */}}
{{- define "saga-demo.signsRecords" -}}
{{- if eq .Values.kafkaSigning.mode "Required" }}true{{ end }}
{{- end }}

{{/* The producing services (those with produces), sorted, as a JSON array: each has a record-signing key. */}}
{{- define "saga-demo.signingProducers" -}}
{{- $producers := list }}
{{- range $name, $svc := .Values.services }}{{ if $svc.produces }}{{ $producers = append $producers $name }}{{ end }}{{ end }}
{{- $producers | toJson }}
{{- end }}

{{/*
The signing keys one role's pods hold, as a JSON array: its own (if it produces) and those of the producers of every
topic it reads; no other. Call with (dict "root" $ "role" "api").
*/}}
{{- define "saga-demo.signingKeysOf" -}}
{{- $services := .root.Values.services }}
{{- $svc := index $services .role }}
{{- $keys := list }}
{{- if $svc.produces }}{{ $keys = append $keys .role }}{{ end }}
{{- range $consumer := $svc.consumers }}
{{- range $topic := $consumer.topics }}
{{- range $producer, $other := $services }}{{ if has $topic ($other.produces | default list) }}{{ $keys = append $keys $producer }}{{ end }}{{ end }}
{{- end }}
{{- end }}
{{- $keys | uniq | sortAlpha | toJson }}
{{- end }}

{{/* Kafka password of one principal (inline value, else generated for the bundled Kafka). Call with (dict "root" $ "name" "api"). */}}
{{- define "saga-demo.kafkaPassword" -}}
{{- $inline := index (.root.Values.kafkaConnection.sasl.passwords | default dict) .name }}
{{- if $inline }}{{ $inline }}
{{- else if .root.Values.kafka.enabled }}{{ include "saga-demo.derivedPassword" (dict "root" .root "name" (printf "kafka-%s" .name)) }}
{{- end }}
{{- end }}

{{/* Login of a stateful role in the bundled PostgreSQL: <auth.username>_<role>. */}}
{{- define "saga-demo.postgresLogin" -}}
{{- printf "%s_%s" .root.Values.postgresql.auth.username .role }}
{{- end }}

{{/* A connection string to the bundled PostgreSQL. Call with (dict "root" $ "username" "x" "password" "y"). */}}
{{- define "saga-demo.bundledPostgresConnectionString" -}}
{{- printf "Host=%s;Port=5432;Database=%s;Username=%s;Password=%s" (include "saga-demo.subchartFullname" (dict "root" .root "chart" "postgresql" "values" .root.Values.postgresql)) .root.Values.postgresql.auth.database .username .password }}
{{- end }}

{{/* Labels of the bundled Bitnami charts' pods (common.labels.matchLabels). Call with (dict "root" $ "chart" "kafka" "values" $.Values.kafka). */}}
{{- define "saga-demo.subchartPodLabels" -}}
app.kubernetes.io/name: {{ default .chart .values.nameOverride }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* The migration Job's pod template (migration-job.yaml), also hashed into the Job's name. */}}
{{- define "saga-demo.migrationPod" -}}
metadata:
  labels:
    {{- include "saga-demo.serviceSelectorLabels" (dict "root" . "name" "migrate") | nindent 4 }}
    {{- include "saga-demo.clientLabels" (dict "database" true) | nindent 4 }}
spec:
  restartPolicy: Never
  serviceAccountName: {{ include "saga-demo.serviceAccountName" . }}
  automountServiceAccountToken: false
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: migrate
      image: {{ include "saga-demo.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args: ["migrate"]
      env:
        - name: ConnectionStrings__Postgres
          valueFrom:
            secretKeyRef:
              name: {{ include "saga-demo.secretName" . }}
              key: postgres-connection-string
        {{- /* Creates the services' logins when the Secret has an admin login, then limits each to its schema. */}}
        - name: Postgres__AdminConnectionString
          valueFrom:
            secretKeyRef:
              name: {{ include "saga-demo.secretName" . }}
              key: postgres-admin-connection-string
              optional: true
        {{- range $role := include "saga-demo.databaseRoles" . | fromJsonArray }}
        - name: Postgres__Logins__{{ $role }}
          valueFrom:
            secretKeyRef:
              name: {{ include "saga-demo.secretName" $ }}
              key: postgres-connection-string-{{ $role }}
        {{- end }}
        {{- if include "saga-demo.usesPostgresCa" . }}
        - name: PGSSLROOTCERT
          value: /etc/saga-demo/postgres-ca/ca.crt
        {{- end }}
      resources:
        {{- toYaml .Values.migrations.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if include "saga-demo.usesPostgresCa" . }}
        - name: postgres-ca
          mountPath: /etc/saga-demo/postgres-ca
          readOnly: true
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
    {{- if include "saga-demo.usesPostgresCa" . }}
    - name: postgres-ca
      secret:
        secretName: {{ include "saga-demo.secretName" . }}
        items:
          - key: postgres-ca.crt
            path: ca.crt
    {{- end }}
{{- end }}

{{/* The kafka-setup Job's pod template (kafka-setup-job.yaml), also hashed into the Job's name. */}}
{{- define "saga-demo.kafkaSetupPod" -}}
{{- $root := .root }}
metadata:
  labels:
    {{- include "saga-demo.serviceSelectorLabels" (dict "root" $root "name" "kafka-setup") | nindent 4 }}
    {{- include "saga-demo.clientLabels" (dict "kafka" true) | nindent 4 }}
spec:
  restartPolicy: Never
  serviceAccountName: {{ include "saga-demo.serviceAccountName" $root }}
  automountServiceAccountToken: false
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  containers:
    - name: kafka-setup
      image: {{ .image | quote }}
      imagePullPolicy: IfNotPresent
      command: ["/bin/bash", "-c"]
      args:
        - |
          set -euo pipefail -o noglob
          bin=/opt/bitnami/kafka/bin
          config=/tmp/admin.properties
          {
            echo "security.protocol=$SECURITY_PROTOCOL"
            echo "sasl.mechanism=$SASL_MECHANISM"
            echo "sasl.jaas.config=$LOGIN_MODULE required username=\"$ADMIN_USER\" password=\"$ADMIN_PASSWORD\";"
          } > "$config"
          tries=0
          until "$bin/kafka-broker-api-versions.sh" --bootstrap-server "$KAFKA" --command-config "$config" > /dev/null 2>&1; do
            tries=$((tries + 1))
            [ "$tries" -lt 60 ] || { echo "Kafka at $KAFKA did not answer"; exit 1; }
            echo "waiting for Kafka at $KAFKA"
            sleep 5
          done
          if [ "$SET_SCRAM" = "true" ]; then
            for name in $PRINCIPALS; do
              user="USER_${name^^}" password="PASSWORD_${name^^}"
              printf '%s=password=%s\n' "$SASL_MECHANISM" "${!password}" > /tmp/scram.properties
              "$bin/kafka-configs.sh" --bootstrap-server "$KAFKA" --command-config "$config" --alter \
                --entity-type users --entity-name "${!user}" --add-config-file /tmp/scram.properties > /dev/null
              echo "SCRAM credential set: ${!user}"
            done
            rm -f /tmp/scram.properties
          fi
          while read -r line; do
            case "$line" in ''|'#'*) continue ;; esac
            args=()
            for token in $line; do
              case "$token" in
                principal:*) args+=(--allow-principal "User:${token#principal:}") ;;
                operation:*) args+=(--operation "${token#operation:}") ;;
                topic:*) args+=(--topic "${token#topic:}") ;;
                group:*) args+=(--group "${token#group:}") ;;
                *) echo "unknown ACL token: $token"; exit 1 ;;
              esac
            done
            "$bin/kafka-acls.sh" --bootstrap-server "$KAFKA" --command-config "$config" --add "${args[@]}" > /dev/null
            echo "ACLs added: $line"
          done < /etc/kafka-setup/acls
      env:
        - name: KAFKA
          value: {{ include "saga-demo.kafkaBootstrapServers" $root | quote }}
        - name: SECURITY_PROTOCOL
          value: {{ $root.Values.kafkaConnection.securityProtocol | quote }}
        - name: SASL_MECHANISM
          value: {{ $root.Values.kafkaConnection.sasl.mechanism | quote }}
        - name: LOGIN_MODULE
          value: {{ ternary "org.apache.kafka.common.security.scram.ScramLoginModule" "org.apache.kafka.common.security.plain.PlainLoginModule" .scram | quote }}
        - name: SET_SCRAM
          value: {{ .scram | quote }}
        - name: ADMIN_USER
          value: {{ first $root.Values.kafka.sasl.client.users | quote }}
        - name: ADMIN_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ include "saga-demo.generatedSecretName" $root }}
              key: system-user-password
        - name: PRINCIPALS
          value: {{ join " " .principals | quote }}
        {{- range $name := .principals }}
        - name: USER_{{ upper $name }}
          value: {{ index $root.Values.kafkaConnection.sasl.usernames $name | quote }}
        - name: PASSWORD_{{ upper $name }}
          valueFrom:
            secretKeyRef:
              name: {{ include "saga-demo.secretName" $root }}
              key: kafka-sasl-password-{{ $name }}
        {{- end }}
        # The Kafka tools' JVM writes its scratch files and logs here, not into the read-only image.
        - name: HOME
          value: /tmp
        - name: LOG_DIR
          value: /tmp
      resources:
        {{- toYaml $root.Values.kafkaSetup.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: acls
          mountPath: /etc/kafka-setup
          readOnly: true
  volumes:
    - name: tmp
      emptyDir:
        medium: Memory
        sizeLimit: 64Mi
    - name: acls
      configMap:
        name: {{ include "saga-demo.suffixedName" (dict "root" $root "suffix" "kafka-acls") }}
        items:
          - key: acls
            path: acls
{{- end }}
