from enum import StrEnum


class Role(StrEnum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    CAPTAIN = "captain"
    REPAIRER = "repairer"
    CLEANER = "cleaner"
    STAFF = "staff"
    ADMIN = "admin"
    OBSERVER = "observer"  # 家园观察员: posted to compounds (models.observers)
    MEDIATOR = "mediator"  # 红色调解室: sees the cases they mediate (models.mediation_room)


class CareTagKind(StrEnum):
    PARTY_MEMBER = "party_member"
    HARDSHIP = "hardship"
    LIVING_ALONE = "living_alone"
    DISABILITY = "disability"


class AssetKind(StrEnum):
    LAMP = "lamp"
    PIPE = "pipe"
    CAMERA = "camera"
    DOOR = "door"
    GARDEN_BED = "garden_bed"
    OTHER = "other"


class ReportCategory(StrEnum):
    """What can be reported at a place. Exactly the ten kinds the community office sorts by."""

    LIGHTING = "lighting"
    PLUMBING = "plumbing"  # leaks and blockages
    ELECTRICAL = "electrical"
    ILLEGAL_CONSTRUCTION = "illegal_construction"
    SNOW_ICE = "snow_ice"
    SANITATION = "sanitation"
    PARKING = "parking"  # cars and e-bikes in the corridor or on the fire lane
    PUBLIC_FACILITY = "public_facility"
    SAFETY_HAZARD = "safety_hazard"
    OTHER = "other"


class TagTargetKind(StrEnum):
    """What a printed tag is stuck on."""

    COMPOUND = "compound"
    BUILDING = "building"
    ENTRANCE = "entrance"
    ASSET = "asset"
