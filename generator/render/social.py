"""Open Graph / Twitter card data, so a product link shared on Zalo or Facebook
shows its name, summary and cover photo."""

from __future__ import annotations

from dataclasses import dataclass

from ..media.library import MediaLibrary
from ..plan.pages import PageSpec


@dataclass(frozen=True)
class SocialCard:
    title: str
    description: str
    url: str
    type: str = "website"
    image: str | None = None
    image_width: int | None = None
    image_height: int | None = None
    image_alt: str | None = None


def social_card(spec: PageSpec, site_url: str, media: MediaLibrary) -> SocialCard:
    """The card of a generated page; photos use the JPEG/PNG fallback crawlers read."""
    card = SocialCard(spec.title, spec.description, site_url + spec.url)
    if spec.kind == "product":
        product = spec.context["product"]
        cover = product.photos[0]
        picture = media.picture(cover)
        return SocialCard(card.title, card.description, card.url, "product",
                          site_url + picture.src, picture.fallback_width,
                          picture.fallback_height, cover.alt)
    if spec.kind == "producer":
        producer = spec.context["producer"]
        if producer.logo_path is not None:
            picture = media.picture(producer.logo_path)
            return SocialCard(card.title, card.description, card.url, "profile",
                              site_url + picture.src, picture.fallback_width,
                              picture.fallback_height, f"Logo {producer.name}")
    return card
