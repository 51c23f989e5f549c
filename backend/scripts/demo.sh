#!/usr/bin/env bash
# The `make run` demo, made once through the API as the admin: an aws project and cloud environment, the example
# network → database → application deployments, and a pipeline whose later steps take earlier steps' outputs
# (database.vpc_id ← network.vpc_id, application.db_endpoint ← database.endpoint, and the sensitive connection string).
# Usage: demo.sh <base-url> <admin-email> <admin-password>. Waits for the API; does nothing if the demo exists.
set -euo pipefail
base=$1 email=$2 password=$3
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT

for _ in $(seq 1 240); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.5; done

call() { # method path [json]: the answer's body; fails on an error status
  curl -fsS -b "$jar" -c "$jar" -X "$1" -H 'Content-Type: application/json' -H 'X-Amnify-Client: demo' \
    "$base/api/v1$2" ${3:+--data "$3"}
}
id_of() { grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4; }
# The id of the step of deployment $2 in the pipeline answer $1.
step_of() { grep -o "\"id\":\"[^\"]*\",\"position\":[0-9]*,\"deploymentId\":\"$2\"" <<<"$1" | cut -d'"' -f4; }

call POST /auth/login "{\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
name='Demo: network → database → application'
if call GET "/pipelines?provider=aws&q=Demo" | grep -qF "\"name\":\"$name\""; then exit 0; fi
# Templates__SyncOnStart may still be running: the demo needs the example templates.
for _ in $(seq 1 60); do call GET /templates/aws-application >/dev/null 2>&1 && break; sleep 1; done

project=$(call POST /projects '{"provider":"aws","name":"Demo platform","description":"Made by make run"}' | id_of)
environment=$(call POST /cloud-environments \
  '{"provider":"aws","name":"Demo sandbox","region":"eu-west-1","accountId":"123456789012","credentials":{}}' | id_of)
deployment() { # name template variables
  call POST /deployments "{\"projectId\":\"$project\",\"templateId\":\"$2\",\"cloudEnvironmentId\":\"$environment\",\"name\":\"$1\",\"variables\":$3}" | id_of
}
network=$(deployment demo-network aws-network '{"name":"demo"}')
database=$(deployment demo-database aws-database '{"name":"demo","admin_password":"Demo-passw0rd"}')
application=$(deployment demo-application aws-application '{"name":"demo","image":"nginx:1.27"}')

pipeline=$(call POST /pipelines "{\"provider\":\"aws\",\"name\":\"$name\",\"description\":\"Outputs of each step feed the next\"}" | id_of)
for deployment in "$network" "$database" "$application"; do
  answer=$(call POST "/pipelines/$pipeline/steps" "{\"deploymentId\":\"$deployment\"}")
done
network_step=$(step_of "$answer" "$network")
database_step=$(step_of "$answer" "$database")
application_step=$(step_of "$answer" "$application")
call PUT "/pipelines/$pipeline/steps/$database_step/inputs" \
  "{\"inputs\":[{\"variable\":\"vpc_id\",\"fromStepId\":\"$network_step\",\"output\":\"vpc_id\"},{\"variable\":\"subnet_ids\",\"fromStepId\":\"$network_step\",\"output\":\"subnet_ids\"}]}" >/dev/null
call PUT "/pipelines/$pipeline/steps/$application_step/inputs" \
  "{\"inputs\":[{\"variable\":\"vpc_id\",\"fromStepId\":\"$network_step\",\"output\":\"vpc_id\"},{\"variable\":\"db_endpoint\",\"fromStepId\":\"$database_step\",\"output\":\"endpoint\"},{\"variable\":\"db_connection_string\",\"fromStepId\":\"$database_step\",\"output\":\"connection_string\"}]}" >/dev/null
echo "  Demo pipeline ready: $base/aws/pipelines/$pipeline"
