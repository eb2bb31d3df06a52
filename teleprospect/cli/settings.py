"""``teleprospect settings``, ``scoring`` and ``campaigns``: the rules of the desk a team
lead tunes — calling hours, retry rules, routing, scoring rules, campaigns. Everyone may
show them; changing them is a team lead's act, recorded in the audit trail."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teleprospect.cli.common import (
    CommandError,
    ExitCode,
    TerminalProgress,
    acting_user_id,
    add_as_option,
    add_json_option,
    database,
    error_message,
    name_text,
    print_json,
    say,
)
from teleprospect.core.domain import CampaignChannel

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands
    from teleprospect.services.settings.campaigns import CampaignInfo

CHANNELS = ", ".join(c.value for c in CampaignChannel)


def setup_parser(commands: Commands) -> None:
    _setup_settings(commands)
    _setup_scoring(commands)
    _setup_campaigns(commands)


def _setup_settings(commands: Commands) -> None:
    settings = commands.add_parser(
        "settings",
        help="show or change team settings: calling hours, retry rules, routing…",
        description="Team settings apply to every workstation at once. 'show' lists each as "
        "KEY = VALUE lines; 'set KEY VALUE' changes one line (team leads), e.g. "
        "'settings set routing.min_score 85', 'settings set calling_hours.start 08:30', "
        "'settings set retry_rules.by_disposition.no_answer.delay_minutes 120', "
        "'settings set routing.min_company_size off'. A whole setting may be given as JSON.",
    )
    actions = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="show every team setting (or one)")
    show.add_argument("key", nargs="?", metavar="KEY", help="only this setting")
    add_json_option(show, "the settings")
    show.set_defaults(run=run_settings_show)
    change = actions.add_parser("set", help="change one team setting (team leads)")
    change.add_argument("key", metavar="KEY", help="e.g. routing.min_score")
    change.add_argument("value", metavar="VALUE", help="a number, text, true/false, off, or JSON")
    add_as_option(change)
    change.set_defaults(run=run_settings_set)


def _setup_scoring(commands: Commands) -> None:
    scoring = commands.add_parser(
        "scoring",
        help="show, export or publish the scoring rules",
        description="Scoring rules are versioned. 'export FILE' writes the rules in force as "
        "JSON; edit it (qualification rules give script answers points by question id) and "
        "'publish FILE' shows how many leads change grade, then publishes it as the next "
        "version and re-scores every lead (team leads). --dry-run shows the preview only.",
    )
    actions = scoring.add_subparsers(dest="scoring_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="show the rules in force")
    add_json_option(show, "the rules and their version")
    show.set_defaults(run=run_scoring_show)
    export = actions.add_parser("export", help="write the rules in force to a JSON file")
    export.add_argument("file", type=Path, metavar="FILE")
    export.set_defaults(run=run_scoring_export)
    publish = actions.add_parser(
        "publish", help="preview, publish and re-score with the rules of a JSON file"
    )
    publish.add_argument("file", type=Path, metavar="FILE")
    publish.add_argument("--note", type=name_text, default="", help="why the rules changed")
    publish.add_argument(
        "--dry-run", action="store_true", help="show how many leads change grade; publish nothing"
    )
    add_as_option(publish)
    add_json_option(publish, "the preview and the outcome")
    publish.set_defaults(run=run_scoring_publish)


def _setup_campaigns(commands: Commands) -> None:
    campaigns = commands.add_parser(
        "campaigns",
        help="list, add or edit campaigns: type, offer, region, inbound",
        description=f"Campaign types: {CHANNELS}. Leads of webinar and contact-form campaigns "
        "count as inbound (fresh ones are called first); --inbound yes|no overrides the "
        "type, by-type goes back to it. Adding and editing is for team leads; an edit "
        "reaches the campaign's leads in the queue at once.",
    )
    actions = campaigns.add_subparsers(dest="campaigns_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the campaigns")
    add_json_option(listing, "one object per campaign")
    listing.set_defaults(run=run_campaigns_list)
    add = actions.add_parser("add", help="add a campaign (team leads)")
    add.add_argument("name", type=name_text, metavar="NAME")
    add.add_argument("--type", dest="channel", default="other", metavar="TYPE", help=CHANNELS)
    _campaign_options(add)
    add.set_defaults(run=run_campaigns_add)
    edit = actions.add_parser("edit", help="change a campaign (team leads)")
    edit.add_argument("campaign", metavar="CAMPAIGN", help="its id or its name")
    edit.add_argument("--name", type=name_text, help="a new name")
    edit.add_argument("--type", dest="channel", metavar="TYPE", help=CHANNELS)
    _campaign_options(edit)
    edit.set_defaults(run=run_campaigns_edit)


def _campaign_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offer", help="what the campaign offered, in words a caller can use")
    parser.add_argument("--region", metavar="CC", help="country of numbers without +code")
    parser.add_argument(
        "--inbound",
        choices=["yes", "no", "by-type"],
        help="whether its leads count as inbound (default: by its type)",
    )
    add_as_option(parser)
    add_json_option(parser, "the campaign")


def _usage(error: Exception) -> CommandError:
    """A value typed on the command line that cannot be used: exit 2, in one sentence."""
    return CommandError(error_message(error), ExitCode.USAGE)


# ----------------------------------------------------------------------------- settings


def _text(value: Any) -> str:
    return "off" if value is None else json.dumps(value, ensure_ascii=False)


def run_settings_show(args: argparse.Namespace) -> int:
    from teleprospect.services.settings.edit import SettingInvalid, flat_lines, settings_json
    from teleprospect.services.settings.team_settings import SETTINGS

    with database(args) as db:
        found = settings_json(db)
    if args.key is not None:
        if args.key not in found:
            known = ", ".join(found)
            raise _usage(SettingInvalid(f"There is no team setting {args.key!r}; try {known}."))
        found = {args.key: found[args.key]}
    if args.json:
        print_json(found)
        return ExitCode.OK
    for key, value in found.items():
        say(f"# {SETTINGS[key].description}")
        for path, leaf in flat_lines(value, key):
            say(f"{path} = {_text(leaf)}")
    return ExitCode.OK


def run_settings_set(args: argparse.Namespace) -> int:
    from teleprospect.core.errors import Invalid
    from teleprospect.services.settings.edit import flat_lines, set_setting_value

    with database(args) as db:
        user_id = acting_user_id(db, args)
        try:
            change = set_setting_value(db, user_id, args.key, args.value)
        except Invalid as error:  # a value typed that the rules refuse
            raise _usage(error) from None
    before = dict(flat_lines(change.before, change.key))
    lines = [
        f"{path}: {_text(before.get(path))} → {_text(value)}"
        for path, value in flat_lines(change.after, change.key)
        if before.get(path) != value
    ]
    say("\n".join(lines) if lines else f"{args.key} was already {args.value}; nothing changed.")
    return ExitCode.OK


# ----------------------------------------------------------------------------- scoring


def run_scoring_show(args: argparse.Namespace) -> int:
    from teleprospect.services.scoring.publishing import rules_in_force

    with database(args) as db:
        found = rules_in_force(db)
    if args.json:
        print_json(found.as_json())
        return ExitCode.OK
    rules = found.rules
    when = f" on {found.published_at:%Y-%m-%d %H:%M}" if found.published_at else ""
    say(f"Scoring rules version {found.version}, published by {found.published_by}{when}.")
    if found.note:
        say(f"Note: {found.note}")
    bands = ", ".join(f"{b.grade} {b.label} ≥ {b.min_score}" for b in rules.thresholds.bands)
    say(f"Sales-ready at {rules.thresholds.sales_ready}; grades: {bands}.")
    fit = rules.fit
    say(
        f"Fit: {len(fit.seniority)} seniority, {len(fit.job_functions)} job-function and"
        f" {len(fit.industries)} industry rules, {len(fit.company_sizes)} company-size bands,"
        f" {len(fit.countries)} countries; {len(rules.engagement)} engagement rules."
    )
    for rule in rules.qualification:
        if rule.thresholds:
            points = ", ".join(f"≥ {t:g}: {p:+}" for t, p in rule.thresholds)
        else:
            points = ", ".join(f"{answer}: {p:+}" for answer, p in rule.points.items())
        say(f"Answer {rule.question_id} ({rule.label}): {points}")
    for problem in found.mismatches:
        say(f"Warning: {problem}")
    return ExitCode.OK


def run_scoring_export(args: argparse.Namespace) -> int:
    from teleprospect.services.scoring.publishing import export_rules

    with database(args) as db:
        version = export_rules(db, args.file)
    say(f"Scoring rules version {version} written to {args.file}.")
    return ExitCode.OK


def run_scoring_publish(args: argparse.Namespace) -> int:
    from teleprospect.core.permissions import Action
    from teleprospect.services.identity.permissions import require_user
    from teleprospect.services.scoring.publishing import preview_rules, read_rules_file
    from teleprospect.services.scoring.rescore import save_rules

    rules = read_rules_file(args.file)
    with database(args) as db:
        user_id = acting_user_id(db, args)
        if not args.dry_run:
            with db.read() as session:  # refused before minutes of previewing, not after
                require_user(session, user_id, Action.EDIT_SCORING_RULES)
        progress = TerminalProgress("Previewing")
        try:
            preview = preview_rules(db, rules, progress=progress)
        finally:
            progress.finish()
        if args.dry_run:
            if args.json:
                print_json({"preview": preview.as_json(), "published": None})
            else:
                say(preview.describe())
            return ExitCode.OK
        if not args.json:
            say(preview.describe())
        progress = TerminalProgress("Re-scoring")
        try:
            published = save_rules(db, rules, user_id, args.note, progress=progress)
        finally:
            progress.finish()
    if args.json:
        print_json(
            {
                "preview": preview.as_json(),
                "published": {"version": published.version, **published.rescored.as_json()},
            }
        )
        return ExitCode.OK
    summary = published.rescored
    say(
        f"Published scoring rules version {published.version}; re-scored {summary.leads:,}"
        f" leads ({summary.changed:,} changed score)."
    )
    return ExitCode.OK


# ----------------------------------------------------------------------------- campaigns


def _campaign_line(c: CampaignInfo) -> str:
    inbound = "inbound" if c.inbound else "not inbound"
    if c.inbound_choice.value != "by_type":
        inbound += " (set by hand)"
    offer = f" — {c.offer}" if c.offer else ""
    return f"#{c.id} {c.name}: {c.channel.label.lower()}, {c.default_region}, {inbound}{offer}"


def run_campaigns_list(args: argparse.Namespace) -> int:
    from teleprospect.services.settings.campaigns import list_campaigns

    with database(args) as db:
        found = list_campaigns(db)
    if args.json:
        print_json([c.as_json() for c in found])
    elif not found:
        say("No campaigns yet.")
    for campaign in [] if args.json else found:
        say(_campaign_line(campaign))
    return ExitCode.OK


def _inbound(text: str | None) -> Any:
    from teleprospect.services.settings.campaigns import InboundChoice

    return None if text is None else InboundChoice(text.replace("-", "_"))


def run_campaigns_add(args: argparse.Namespace) -> int:
    from teleprospect.services.settings.campaigns import (
        CampaignInvalid,
        InboundChoice,
        add_campaign,
        campaign_channel,
    )

    with database(args) as db:
        user_id = acting_user_id(db, args)
        try:
            added = add_campaign(
                db,
                user_id,
                args.name,
                campaign_channel(args.channel),
                offer=args.offer or "",
                region=args.region or "US",
                inbound=_inbound(args.inbound) or InboundChoice.BY_TYPE,
            )
        except CampaignInvalid as error:
            raise _usage(error) from None
    if args.json:
        print_json(added.as_json())
    else:
        say(f"Added {_campaign_line(added)}")
    return ExitCode.OK


def run_campaigns_edit(args: argparse.Namespace) -> int:
    from teleprospect.services.settings.campaigns import (
        CampaignEdit,
        CampaignInvalid,
        campaign_channel,
        edit_campaign,
    )

    try:
        edit = CampaignEdit(
            name=args.name,
            channel=campaign_channel(args.channel) if args.channel else None,
            offer=args.offer,
            region=args.region,
            inbound=_inbound(args.inbound),
        )
    except CampaignInvalid as error:
        raise _usage(error) from None
    if edit == CampaignEdit():
        raise CommandError(
            "Say what to change: --name, --type, --offer, --region or --inbound.", ExitCode.USAGE
        )
    with database(args) as db:
        user_id = acting_user_id(db, args)
        try:
            changed = edit_campaign(db, user_id, args.campaign, edit)
        except CampaignInvalid as error:
            raise _usage(error) from None
    if args.json:
        print_json(changed.as_json())
    else:
        say(f"Changed {_campaign_line(changed)}")
    return ExitCode.OK
