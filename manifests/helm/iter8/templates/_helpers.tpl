{{/* Labels of every object the chart templates: the kustomize base's, plus Helm's own. */}}
{{- define "iter8.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: iter8
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "iter8.agentLabels" -}}
{{ include "iter8.labels" (dict "root" . "name" "iter8-agent") }}
{{- end -}}

{{- define "iter8.webhookLabels" -}}
{{ include "iter8.labels" (dict "root" . "name" "iter8-webhook") }}
{{- end -}}

{{/* repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "iter8.image" -}}
{{ .image.repository }}:{{ .image.tag | default .root.Chart.AppVersion }}
{{- end -}}

{{/*
The webhook configurations' caBundle without cert-manager: webhook.caBundle, else ca.crt of the Secret
iter8-webhook-tls in the release namespace (read at install time; `helm template` cannot read it).
*/}}
{{- define "iter8.caBundle" -}}
{{- $ca := .Values.webhook.caBundle -}}
{{- if not $ca -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace "iter8-webhook-tls" -}}
{{- if $secret -}}
{{- $ca = index ($secret.data | default dict) "ca.crt" | default "" -}}
{{- end -}}
{{- end -}}
{{- if not $ca -}}
{{- fail (printf "iter8: the webhook needs the CA of its serving certificate. Set certManager.enabled=true, or webhook.caBundle (e.g. --set webhook.caBundle=$(base64 -w0 certs/ca.crt) after scripts/gen-certs.sh), or create the Secret %s/iter8-webhook-tls with ca.crt, tls.crt and tls.key before installing (docs/install.md)" .Release.Namespace) -}}
{{- end -}}
{{- $ca -}}
{{- end -}}

{{/* The webhooks' namespaceSelector: never iter8's own namespace nor kube-system. */}}
{{- define "iter8.systemNamespaces" -}}
- key: kubernetes.io/metadata.name
  operator: NotIn
  values: [{{ .Release.Namespace }}, kube-system]
{{- end -}}

{{/* A webhook's clientConfig: the webhook Service, a path, and the caBundle unless cert-manager injects it. */}}
{{- define "iter8.clientConfig" -}}
clientConfig:
  service:
    name: iter8-webhook
    namespace: {{ .root.Release.Namespace }}
    path: {{ .path }}
    port: 443
  {{- if .caBundle }}
  caBundle: {{ .caBundle }}
  {{- end }}
{{- end -}}
