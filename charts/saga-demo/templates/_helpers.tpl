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
Rules values.schema.json cannot express (it compares no two values); rendered into the ConfigMap so that lint,
template and install all stop on them.
*/}}
{{- define "saga-demo.validate" -}}
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
{{- end }}

{{/* The migration Job's pod template (migration-job.yaml), also hashed into the Job's name. */}}
{{- define "saga-demo.migrationPod" -}}
metadata:
  labels:
    {{- include "saga-demo.serviceSelectorLabels" (dict "root" . "name" "migrate") | nindent 4 }}
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
