/** The tab's icon: three meter bars, green, yellow and red, as the page colours its levels. */
export const PAGE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">
<rect width="16" height="16" rx="3" fill="#14171d"/>
<rect x="2" y="3" width="9" height="2.5" fill="#5fd38d"/>
<rect x="2" y="6.75" width="12" height="2.5" fill="#f2c94c"/>
<rect x="2" y="10.5" width="5" height="2.5" fill="#ff5f5f"/>
</svg>
`;
