"""The store's controlled vocabularies, each value with the meaning a curator
and a researcher should read into it. The GraphQL enums mirror these (a test
keeps them in step); the loader rejects any value not listed here."""

from __future__ import annotations

ACTOR_KINDS = {
    "PERSON": "A named individual.",
    "ETHNIC_GROUP": "A people or community, as a collective (e.g. the Tuareg).",
    "STATE": "A sovereign state as an actor in international affairs.",
    "GOVERNMENT": "A state's executive: a government, transitional or elected.",
    "ARMED_FORCES": "A state's army or military forces.",
    "ARMED_GROUP": "A non-state armed group: rebels, militias, jihadist groups, a junta.",
    "COALITION": "A coalition or alliance of groups that acts under its own name.",
    "INTERGOVERNMENTAL_ORGANIZATION": "A regional or international organisation of states "
    "(African Union, ECOWAS, the European Union) or one of its organs.",
    "UN_BODY": "The United Nations, one of its organs, agencies or offices.",
    "PEACEKEEPING_MISSION": "A peacekeeping or support mission (AFISMA, MINUSMA).",
    "MILITARY_OPERATION": "A named military operation (Operation Serval, Operation Barkhane).",
    "NGO": "A non-governmental or civil-society organisation.",
    "RESEARCH_BODY": "A research institute, university or think tank.",
    "MEDIA": "A news organisation or publication.",
    "COURT": "A court or tribunal.",
    "LEGISLATURE": "A parliament or national assembly.",
    "COMMISSION": "A commission of inquiry, truth commission or similar body.",
    "OTHER": "An actor that fits none of the other kinds.",
}

PLACE_KINDS = {
    "CONTINENT": "A continent.",
    "REGION": "A region: part of a country, or an area spanning several (the Sahel, Azawad).",
    "COUNTRY": "A country.",
    "CITY": "A city.",
    "TOWN": "A town.",
    "VILLAGE": "A village.",
    "SITE": "A building or site within a settlement (a palace, an office, heritage sites).",
}

EVENT_KINDS = {
    "ARMED_CONFLICT": "A period or state of armed conflict or uprising.",
    "OFFENSIVE": "A military offensive or campaign.",
    "CAPTURE": "The capture or taking of control of a place.",
    "ATTACK": "An attack on people, forces or facilities.",
    "ABUSE": "A human-rights abuse or atrocity crime: killings, torture, disappearances.",
    "ABDUCTION": "An abduction, kidnapping or capture of people.",
    "DISPLACEMENT": "People fleeing their homes or the country.",
    "COUP": "A coup d'état or mutiny against the government.",
    "POLITICAL": "A political development: a resignation, a transfer of power, a suspension.",
    "DECLARATION": "A formal declaration, such as of independence.",
    "STATEMENT": "A public statement, speech or claim.",
    "PUBLICATION": "A report, letter or other document made public.",
    "ELECTION": "An election.",
    "SANCTION": "Sanctions, travel bans, asset freezes or suspensions imposed on an actor.",
    "MEDIATION": "Mediation or good offices between parties.",
    "NEGOTIATION": "Talks or a round of negotiations.",
    "AGREEMENT": "An agreement, accord or roadmap signed or adopted.",
    "CEASEFIRE": "A ceasefire or cessation of hostilities.",
    "UN_RESOLUTION": "The adoption of a UN Security Council resolution.",
    "MILITARY_OPERATION": "The launch, conduct or end of a named military operation.",
    "LEGAL": "A judicial step: a referral, an investigation, a warrant.",
    "INSTITUTIONAL": "The creation or change of an institution or mandate.",
    "MEETING": "A meeting, workshop or conference.",
    "OTHER": "An event that fits none of the other kinds.",
}

PARTICIPANT_ROLES = {
    "AGENT": "Carried out the event.",
    "PERPETRATOR": "Committed the abuse or attack.",
    "TARGET": "Was the target of the action.",
    "VICTIM": "Suffered harm in the event.",
    "PARTY": "Party to an agreement, talks or conflict.",
    "MEDIATOR": "Mediated or facilitated.",
    "ORGANIZER": "Organised or convened.",
    "PARTICIPANT": "Took part.",
    "SUPPORTER": "Supported or backed the action.",
    "OPPONENT": "Opposed or condemned the action.",
    "AUTHOR": "Authored the statement, report or document.",
    "ADDRESSEE": "The statement, request or report was addressed to this actor.",
    "SUBJECT": "The event is about this actor (e.g. the person elected).",
}

RELATION_KINDS = {
    "ALLIANCE": "The two actors were allied.",
    "MEMBER_OF": "The subject is a member of the object (a coalition or organisation).",
    "LEADER_OF": "The subject leads or heads the object.",
    "SPLINTER_OF": "The subject split off from the object.",
    "PART_OF": "The subject is an organ, unit or component of the object.",
    "SUPPORTS": "The subject supported the object.",
    "OPPOSES": "The subject opposed or fought the object.",
    "CLOSE_TO": "The subject is seen as close to the object.",
    "SPOKESPERSON_OF": "The subject speaks for the object.",
    "AFFILIATED_WITH": "The subject has ties to the object.",
    "SUCCEEDED_BY": "The subject was replaced or transformed into the object.",
}

DOCUMENT_KINDS = {
    "WEB_PAGE": "A web page, such as a source page of this knowledge base.",
    "REPORT": "A report or fact-finding study.",
    "POLICY_BRIEF": "A policy brief or analysis.",
    "LETTER": "A letter.",
    "MANIFESTO": "A manifesto or joint civil-society declaration.",
    "STATEMENT": "A statement, declaration or press release.",
    "INTERVIEW": "An interview.",
    "ARTICLE": "A news or magazine article.",
    "SPEECH": "A speech or address.",
    "AGREEMENT": "The text of an agreement or roadmap.",
    "WEBSITE": "A website as a whole.",
    "OTHER": "A document that fits none of the other kinds.",
}

FIGURE_QUALIFIERS = {
    "EXACT": "The source states the number exactly.",
    "ABOUT": "An approximate number (about, some, an estimated).",
    "AT_LEAST": "A floor: at least; also vague amounts ('hundreds'), recorded at their floor.",
    "MORE_THAN": "Strictly more than the number.",
    "UP_TO": "At most the number.",
}

# Record types a figure's `subject` may point at.
SUBJECT_TYPES = ("actor", "place", "event", "resolution", "document")
