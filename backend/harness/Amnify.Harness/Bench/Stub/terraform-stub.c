/*
 * A stand-in for the Terraform CLI, for the engine-capacity benchmark only (the harness compiles it with cc and
 * points Engine__Terraform at it): it answers every subcommand and flag the engine could call the way Terraform
 * would, in well under a millisecond, so the bench measures the engine and not Terraform.
 *
 * What it knows of the configuration it reads from the *.tf files of the working directory: each
 * `resource "TYPE" "NAME"` becomes a planned create (or delete, with -destroy), each `output "NAME"` an output
 * whose value is "stub-NAME". `plan -out=FILE` writes a plan file that differs on every plan (as Terraform's do),
 * `apply FILE` refuses a missing or foreign plan file, `show -json FILE` describes it. -json gives the
 * machine-readable forms (show/output/version JSON; plan/apply streams of JSON lines with change_summary and
 * outputs). -detailed-exitcode answers 2 for changes. Unknown subcommands exit 127, as Terraform does.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_ITEMS 256
#define VERSION "1.11.0"
#define MAGIC "amnify-terraform-stub-plan"

static char resources[MAX_ITEMS][256]; /* "type.name" */
static int resource_count;
static char outputs[MAX_ITEMS][128];
static int output_count;

static int has_flag(int argc, char **argv, const char *flag) {
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-') a++;
        if (strcmp(a, flag) == 0) return 1;
        size_t n = strlen(flag);
        if (strncmp(a, flag, n) == 0 && a[n] == '=') return strcmp(a + n + 1, "false") != 0;
    }
    return 0;
}

static const char *flag_value(int argc, char **argv, const char *flag) {
    size_t n = strlen(flag);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-') a++;
        if (strncmp(a, flag, n) == 0 && a[n] == '=') return a + n + 1;
        if (strcmp(a, flag) == 0 && i + 1 < argc) return argv[i + 1];
    }
    return NULL;
}

/* The first argument after the subcommand that is not a flag (nor a flag's separate value). */
static const char *positional(int argc, char **argv, int skip) {
    static const char *with_value[] = {"-var", "-var-file", "-target", "-replace", "-chdir", "-state", "-state-out",
                                       "-backup", "-lock-timeout", "-parallelism", "-out", "-backend-config", NULL};
    for (int i = 2; i < argc; i++) {
        if (argv[i][0] == '-') {
            if (strchr(argv[i], '=') == NULL)
                for (int k = 0; with_value[k]; k++)
                    if (strcmp(argv[i], with_value[k]) == 0) { i++; break; }
            continue;
        }
        if (skip-- == 0) return argv[i];
    }
    return NULL;
}

/* Collects the resource and output blocks of every *.tf file here (enough for plans and outputs to look real). */
static void read_configuration(void) {
    DIR *dir = opendir(".");
    if (!dir) return;
    struct dirent *entry;
    char line[1024], a[128], b[128];
    while ((entry = readdir(dir)) != NULL) {
        size_t n = strlen(entry->d_name);
        if (n < 4 || strcmp(entry->d_name + n - 3, ".tf") != 0) continue;
        FILE *f = fopen(entry->d_name, "r");
        if (!f) continue;
        while (fgets(line, sizeof line, f)) {
            const char *p = line;
            while (*p == ' ' || *p == '\t') p++;
            if (sscanf(p, "resource \"%127[^\"]\" \"%127[^\"]\"", a, b) == 2 && resource_count < MAX_ITEMS)
                snprintf(resources[resource_count++], sizeof resources[0], "%s.%s", a, b);
            else if (sscanf(p, "output \"%127[^\"]\"", a) == 1 && output_count < MAX_ITEMS)
                snprintf(outputs[output_count++], sizeof outputs[0], "%s", a);
        }
        fclose(f);
    }
    closedir(dir);
    if (resource_count == 0) snprintf(resources[resource_count++], sizeof resources[0], "terraform_data.stub");
}

static void json_line(const char *level, const char *type, const char *message, const char *extra) {
    printf("{\"@level\":\"%s\",\"@message\":\"%s\",\"@module\":\"terraform.ui\",\"@timestamp\":\"2026-01-01T00:00:00.000000Z\","
           "\"type\":\"%s\"%s%s}\n", level, message, type, extra ? "," : "", extra ? extra : "");
}

static void outputs_json(const char *indent) {
    printf("{");
    for (int i = 0; i < output_count; i++)
        printf("%s%s\"%s\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"stub-%s\"}", i ? "," : "", indent, outputs[i], outputs[i]);
    printf("}");
}

static int plan_is_destroy(const char *file, int *ok) {
    char buf[256] = {0};
    FILE *f = fopen(file, "r");
    *ok = 0;
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    *ok = strncmp(buf, MAGIC, strlen(MAGIC)) == 0;
    return strstr(buf, "\ndestroy\n") != NULL;
}

static void plan_text(int destroy) {
    printf("\nTerraform used the selected providers to generate the following execution\nplan. Resource actions are indicated with the following symbols:\n"
           "  %s\n\nTerraform will perform the following actions:\n\n", destroy ? "- destroy" : "+ create");
    for (int i = 0; i < resource_count; i++) {
        char type[128] = {0}, name[128] = {0};
        sscanf(resources[i], "%127[^.].%127s", type, name);
        printf("  # %s will be %s\n  %c resource \"%s\" \"%s\" {\n      %c id = %s\n    }\n\n", resources[i],
               destroy ? "destroyed" : "created", destroy ? '-' : '+', type, name, destroy ? '-' : '+',
               destroy ? "\"stub\" -> null" : "(known after apply)");
    }
    printf("Plan: %d to add, 0 to change, %d to destroy.\n", destroy ? 0 : resource_count, destroy ? resource_count : 0);
    if (!destroy && output_count) {
        printf("\nChanges to Outputs:\n");
        for (int i = 0; i < output_count; i++) printf("  + %s = \"stub-%s\"\n", outputs[i], outputs[i]);
    }
}

static void plan_json(int destroy) {
    printf("{\"format_version\":\"1.2\",\"terraform_version\":\"" VERSION "\",\"planned_values\":{\"root_module\":{}},\"resource_changes\":[");
    for (int i = 0; i < resource_count; i++) {
        char type[128] = {0}, name[128] = {0};
        sscanf(resources[i], "%127[^.].%127s", type, name);
        printf("%s{\"address\":\"%s\",\"mode\":\"managed\",\"type\":\"%s\",\"name\":\"%s\",\"provider_name\":\"terraform.io/builtin/terraform\","
               "\"change\":{\"actions\":[\"%s\"],\"before\":%s,\"after\":%s,\"after_unknown\":%s,\"before_sensitive\":%s,\"after_sensitive\":%s}}",
               i ? "," : "", resources[i], type, name, destroy ? "delete" : "create",
               destroy ? "{\"id\":\"stub\",\"input\":null,\"output\":null,\"triggers_replace\":null}" : "null",
               destroy ? "null" : "{\"input\":null,\"triggers_replace\":null}",
               destroy ? "{}" : "{\"id\":true,\"output\":true}", destroy ? "{}" : "false", destroy ? "false" : "{}");
    }
    printf("],\"output_changes\":{");
    for (int i = 0; i < output_count; i++)
        printf("%s\"%s\":{\"actions\":[\"%s\"],\"before\":%s,\"after\":%s,\"after_unknown\":false,\"before_sensitive\":false,\"after_sensitive\":false}",
               i ? "," : "", outputs[i], destroy ? "delete" : "create", destroy ? "\"stub\"" : "null", destroy ? "null" : "\"stub\"");
    printf("},\"configuration\":{\"root_module\":{}},\"timestamp\":\"2026-01-01T00:00:00Z\",\"applyable\":true,\"complete\":true,\"errored\":false}\n");
}

static int cmd_plan(int argc, char **argv) {
    int destroy = has_flag(argc, argv, "-destroy");
    int json = has_flag(argc, argv, "-json");
    const char *out = flag_value(argc, argv, "-out");
    if (out) {
        FILE *f = fopen(out, "w");
        if (!f) { fprintf(stderr, "Error: Failed to write plan file\n"); return 1; }
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        fprintf(f, MAGIC "\n%s\n%ld.%09ld-%d\n", destroy ? "destroy" : "apply", (long)now.tv_sec, now.tv_nsec, (int)getpid());
        for (int i = 0; i < resource_count; i++) fprintf(f, "%s\n", resources[i]);
        fclose(f);
    }
    if (json) {
        json_line("info", "version", "Terraform " VERSION, "\"terraform\":\"" VERSION "\",\"ui\":\"1.2\"");
        for (int i = 0; i < resource_count; i++) {
            char extra[1024];
            snprintf(extra, sizeof extra, "\"change\":{\"resource\":{\"addr\":\"%s\",\"resource\":\"%s\"},\"action\":\"%s\"}",
                     resources[i], resources[i], destroy ? "delete" : "create");
            json_line("info", "planned_change", destroy ? "Plan to delete" : "Plan to create", extra);
        }
        char summary[200];
        snprintf(summary, sizeof summary, "\"changes\":{\"add\":%d,\"change\":0,\"import\":0,\"remove\":%d,\"operation\":\"plan\"}",
                 destroy ? 0 : resource_count, destroy ? resource_count : 0);
        json_line("info", "change_summary", "Plan: changes", summary);
    } else {
        plan_text(destroy);
        if (out) printf("\nSaved the plan to: %s\n", out);
    }
    return has_flag(argc, argv, "-detailed-exitcode") ? 2 : 0;
}

static int cmd_apply(int argc, char **argv, int destroy) {
    const char *file = positional(argc, argv, 0);
    int json = has_flag(argc, argv, "-json");
    if (file) {
        int ok;
        destroy = plan_is_destroy(file, &ok);
        if (!ok) { fprintf(stderr, "\nError: Failed to load \"%s\" as a plan file\n", file); return 1; }
    }
    if (json) json_line("info", "version", "Terraform " VERSION, "\"terraform\":\"" VERSION "\",\"ui\":\"1.2\"");
    for (int i = 0; i < resource_count; i++) {
        if (json) {
            char extra[1024];
            snprintf(extra, sizeof extra, "\"hook\":{\"resource\":{\"addr\":\"%s\"},\"action\":\"%s\",\"elapsed_seconds\":0}",
                     resources[i], destroy ? "delete" : "create");
            json_line("info", "apply_complete", destroy ? "Destruction complete" : "Creation complete", extra);
        } else {
            printf("%s: %s...\n%s: %s after 0s%s\n", resources[i], destroy ? "Destroying" : "Creating", resources[i],
                   destroy ? "Destruction complete" : "Creation complete", destroy ? "" : " [id=stub]");
        }
    }
    if (json) {
        char summary[200];
        snprintf(summary, sizeof summary, "\"changes\":{\"add\":%d,\"change\":0,\"import\":0,\"remove\":%d,\"operation\":\"%s\"}",
                 destroy ? 0 : resource_count, destroy ? resource_count : 0, destroy ? "destroy" : "apply");
        json_line("info", "change_summary", "Apply complete!", summary);
        if (!destroy) {
            printf("{\"@level\":\"info\",\"@message\":\"Outputs: %d\",\"@module\":\"terraform.ui\",\"type\":\"outputs\",\"outputs\":", output_count);
            outputs_json("");
            printf("}\n");
        }
        return 0;
    }
    printf("\n%s complete! Resources: %d added, 0 changed, %d destroyed.\n", destroy ? "Destroy" : "Apply",
           destroy ? 0 : resource_count, destroy ? resource_count : 0);
    if (!destroy && output_count) {
        printf("\nOutputs:\n\n");
        for (int i = 0; i < output_count; i++) printf("%s = \"stub-%s\"\n", outputs[i], outputs[i]);
    }
    return 0;
}

static int cmd_show(int argc, char **argv) {
    const char *file = positional(argc, argv, 0);
    int json = has_flag(argc, argv, "-json");
    if (file) {
        int ok, destroy = plan_is_destroy(file, &ok);
        if (!ok) { fprintf(stderr, "\nError: Failed to read the given file as a state or plan file\n"); return 1; }
        if (json) plan_json(destroy); else plan_text(destroy);
        return 0;
    }
    if (json) {
        printf("{\"format_version\":\"1.0\",\"terraform_version\":\"" VERSION "\",\"values\":{\"outputs\":");
        outputs_json("");
        printf(",\"root_module\":{\"resources\":[");
        for (int i = 0; i < resource_count; i++) printf("%s{\"address\":\"%s\",\"mode\":\"managed\",\"values\":{\"id\":\"stub\"}}", i ? "," : "", resources[i]);
        printf("]}}}\n");
    } else {
        for (int i = 0; i < resource_count; i++) printf("# %s:\nresource \"%s\" {\n    id = \"stub\"\n}\n\n", resources[i], resources[i]);
    }
    return 0;
}

static int cmd_output(int argc, char **argv) {
    const char *name = positional(argc, argv, 0);
    if (name) {
        for (int i = 0; i < output_count; i++)
            if (strcmp(outputs[i], name) == 0) {
                if (has_flag(argc, argv, "-raw")) printf("stub-%s", name);
                else printf("\"stub-%s\"\n", name);
                return 0;
            }
        fprintf(stderr, "\nError: Output \"%s\" not found\n", name);
        return 1;
    }
    if (has_flag(argc, argv, "-json")) { outputs_json("\n  "); printf("\n"); }
    else for (int i = 0; i < output_count; i++) printf("%s = \"stub-%s\"\n", outputs[i], outputs[i]);
    return 0;
}

static int cmd_init(int argc, char **argv) {
    (void)argc; (void)argv;
    mkdir(".terraform", 0700);
    FILE *lock = fopen(".terraform.lock.hcl", "a");
    if (lock) fclose(lock);
    printf("\nInitializing the backend...\n\nInitializing provider plugins...\n\nTerraform has been successfully initialized!\n");
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    int first = 1;
    while (first < argc && strncmp(argv[first], "-chdir=", 7) == 0) {
        if (chdir(argv[first] + 7) != 0) { fprintf(stderr, "Error: Invalid -chdir option\n"); return 1; }
        first++;
    }
    if (first >= argc) { printf("Usage: terraform [global options] <subcommand> [args]\n"); return 127; }
    /* From here argv[1] is the subcommand, as the helpers expect. */
    argv += first - 1;
    argc -= first - 1;
    const char *cmd = argv[1];
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "-version") == 0 || strcmp(cmd, "--version") == 0 || strcmp(cmd, "-v") == 0) {
        if (has_flag(argc, argv, "-json"))
            printf("{\n  \"terraform_version\": \"" VERSION "\",\n  \"platform\": \"linux_amd64\",\n  \"provider_selections\": {},\n  \"terraform_outdated\": false\n}\n");
        else
            printf("Terraform v" VERSION "\non linux_amd64\n");
        return 0;
    }
    read_configuration();
    if (strcmp(cmd, "init") == 0) return cmd_init(argc, argv);
    if (strcmp(cmd, "plan") == 0) return cmd_plan(argc, argv);
    if (strcmp(cmd, "apply") == 0) return cmd_apply(argc, argv, has_flag(argc, argv, "-destroy"));
    if (strcmp(cmd, "destroy") == 0) return cmd_apply(argc, argv, 1);
    if (strcmp(cmd, "show") == 0) return cmd_show(argc, argv);
    if (strcmp(cmd, "output") == 0) return cmd_output(argc, argv);
    if (strcmp(cmd, "validate") == 0) {
        if (has_flag(argc, argv, "-json"))
            printf("{\"format_version\":\"1.0\",\"valid\":true,\"error_count\":0,\"warning_count\":0,\"diagnostics\":[]}\n");
        else
            printf("Success! The configuration is valid.\n");
        return 0;
    }
    if (strcmp(cmd, "providers") == 0) {
        if (positional(argc, argv, 0) && strcmp(positional(argc, argv, 0), "schema") == 0)
            printf("{\"format_version\":\"1.0\",\"provider_schemas\":{}}\n");
        else
            printf("\nProviders required by configuration:\n.\n└── provider[terraform.io/builtin/terraform]\n");
        return 0;
    }
    if (strcmp(cmd, "workspace") == 0) {
        const char *sub = positional(argc, argv, 0);
        if (sub && strcmp(sub, "show") == 0) printf("default\n");
        else if (sub && strcmp(sub, "list") == 0) printf("* default\n");
        return 0;
    }
    if (strcmp(cmd, "state") == 0) {
        const char *sub = positional(argc, argv, 0);
        if (sub && strcmp(sub, "list") == 0)
            for (int i = 0; i < resource_count; i++) printf("%s\n", resources[i]);
        else if (sub && strcmp(sub, "pull") == 0)
            printf("{\"version\":4,\"terraform_version\":\"" VERSION "\",\"serial\":1,\"lineage\":\"stub\",\"outputs\":{},\"resources\":[]}\n");
        return 0;
    }
    static const char *quiet[] = {"fmt", "get", "graph", "refresh", "import", "taint", "untaint", "force-unlock",
                                  "console", "test", "login", "logout", "metadata", "modules", NULL};
    for (int i = 0; quiet[i]; i++)
        if (strcmp(cmd, quiet[i]) == 0) return 0;
    fprintf(stderr, "Terraform has no command named \"%s\".\n\nTo see all of Terraform's top-level commands, run:\n  terraform -help\n", cmd);
    return 127;
}
